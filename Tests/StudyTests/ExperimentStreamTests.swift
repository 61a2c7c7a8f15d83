@testable import ExperimentKit
import Randomness
import Stages
import Testing

/// An experiment's random streams are split off its seed by distinct labels, so no two named streams
/// can coincide, and a stream depends on the seed and its label alone.
@Suite struct ExperimentStreamTests {
    @Test func labelsAreDistinct() {
        let streams: [ExperimentStream] = (0..<300).map { .model($0) } + (0..<300).map { .negatives($0) }
            + (0..<300).map { .spatialModel($0) } + (0..<300).map { .spatialNegatives($0) }
            + [.randomPoints, .design, .optimisation, .optimisationNegatives, .spatialTest]
        #expect(Set(streams.map(\.label)).count == streams.count)
    }

    @Test func aStreamDependsOnTheSeedAndItsLabelOnly() {
        let g = SeededGenerator(seed: 11)
        var drawnFirst = g
        _ = (0..<100).map { _ in drawnFirst.next() }   // drawing from the parent does not move its streams
        var a = g.split(.negatives(2)), b = drawnFirst.split(.negatives(2)), c = g.split(.negatives(3))
        let x = (0..<4).map { _ in a.next() }
        #expect(x == (0..<4).map { _ in b.next() })
        #expect(x != (0..<4).map { _ in c.next() })
    }
}

/// A sampler that excludes nothing is the random sampler: the overlap report says so, by counting.
@Suite struct CandidateOverlapTests {
    @Test func aSamplerThatExcludesNothingIsTheRandomOne() {
        let random = [true, true, false, true, true]
        let same = CandidateOverlap(random, random: random)
        #expect(same.equalsRandom && same.randomCellsExcluded == 0 && same.candidateCells == 4)
        #expect(same.degeneracy(of: "Y2")?.contains("equals the random sampler's (4 cells)") == true)
        let narrower = CandidateOverlap([true, false, false, true, false], random: random)
        #expect(!narrower.equalsRandom && narrower.randomCellsExcluded == 2 && narrower.sharedWithRandom == 2)
        #expect(narrower.degeneracy(of: "Y1") == nil)
    }

    /// Below 2 % of cells with POF > 0.5 a run warns, naming the share; above it says nothing.
    @Test func nearlyAllStableWarns() {
        let warning = PPMRun.stabilityWarnings(sharePofAboveHalf: 0.004)
        #expect(warning.count == 1 && warning[0].contains("0.40 %"))
        #expect(PPMRun.stabilityWarnings(sharePofAboveHalf: 0.2).isEmpty)
    }
}

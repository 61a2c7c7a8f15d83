@testable import ExperimentKit
import Randomness
import Testing

/// An experiment's random streams are split off its seed by distinct labels, so no two named streams
/// can coincide, and a stream depends on the seed and its label alone.
@Suite struct ExperimentStreamTests {
    @Test func labelsAreDistinct() {
        let streams: [ExperimentStream] = (0..<300).map { .model($0) } + (0..<300).map { .negatives($0) }
            + [.randomPoints, .design, .optimisation, .optimisationNegatives]
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

import Randomness

/// The named random streams of an experiment. Each is split off the experiment's generator by its
/// label (``SeededGenerator/split(_:)``), so a stream depends on the seed and its label alone: adding,
/// dropping or changing one model never shifts another's draws, and two stages that need the same
/// draw share the drawn value rather than a seed computed twice.
///
/// The experiment's own generator (the seed itself) draws the common test: the held-out landslides
/// and, for a study without evaluation points, the random test negatives.
package enum ExperimentStream: Sendable {
    /// Model (or scenario, sampler, network) `k` of an experiment: its 70/30 split, initialisation,
    /// batch order and early-stopping split.
    case model(Int)
    /// The negatives drawn for model `k` from its sampler's candidate cells.
    case negatives(Int)
    /// Random points (not landslides) shared by every scenario of a sweep.
    case randomPoints
    /// A sampling design: the Latin hypercube and its surrogate model.
    case design
    /// The trainings of a hyperparameter optimisation.
    case optimisation
    /// The negatives of the sampled set a hyperparameter optimisation trains on.
    case optimisationNegatives
    /// Protocol (c): the k-means blocks and which of them are held out.
    case spatialTest
    /// Model `k` trained for protocol (c): its split, initialisation and batch order.
    case spatialModel(Int)
    /// Model `k`'s negatives for protocol (c), drawn outside the test blocks.
    case spatialNegatives(Int)

    /// The stream number: models from 0x100, negatives from 0x1000, protocol (c)'s models from 0x2000 and
    /// their negatives from 0x3000 (room for 3,840 models each, 4,096 for (c)).
    var label: UInt64 {
        switch self {
        case let .model(k): 0x100 + UInt64(k)
        case let .negatives(k): 0x1000 + UInt64(k)
        case .randomPoints: 0x10
        case .design: 0x11
        case .optimisation: 0x12
        case .optimisationNegatives: 0x13
        case .spatialTest: 0x14
        case let .spatialModel(k): 0x2000 + UInt64(k)
        case let .spatialNegatives(k): 0x3000 + UInt64(k)
        }
    }
}

extension SeededGenerator {
    /// The generator of an experiment's named stream.
    package func split(_ stream: ExperimentStream) -> SeededGenerator { split(stream.label) }
}

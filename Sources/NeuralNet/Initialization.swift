import Randomness

/// Weight initialisation from the injected generator.
public enum Initialization: Sendable {
    /// He et al. (2015): N(0, 2 / fanIn), for layers followed by ReLU.
    case he
    /// Glorot & Bengio (2010): U(−a, a), a = √(6 / (fanIn + fanOut)), for tanh, sigmoid and linear layers.
    case glorot
    /// U(−bound, bound): PyTorch's default for LSTM weights and biases (bound = 1 / √hidden).
    case uniform(Double)

    public func values<S: NetScalar>(count: Int, fanIn: Int, fanOut: Int, generator: inout SeededGenerator) -> [S] {
        switch self {
        case .he:
            let sd = (2 / Double(fanIn)).squareRoot()
            return (0..<count).map { _ in S(sd * generator.nextNormal()) }
        case .glorot:
            let a = (6 / Double(fanIn + fanOut)).squareRoot()
            return (0..<count).map { _ in S(a * (2 * generator.nextUnit() - 1)) }
        case let .uniform(bound):
            return (0..<count).map { _ in S(bound * (2 * generator.nextUnit() - 1)) }
        }
    }
}

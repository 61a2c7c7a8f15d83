/// A trainable array and its gradient. `decays` marks weights that L2 regularisation applies to
/// (kernels and matrices, not biases or batch-norm parameters — as MATLAB's trainNetwork does).
public final class Parameter<Scalar: NetScalar>: @unchecked Sendable {
    public let name: String
    public var value: [Scalar]
    public var grad: [Scalar]
    public let decays: Bool
    public init(name: String, value: [Scalar], decays: Bool) {
        self.name = name
        self.value = value
        self.grad = [Scalar](repeating: 0, count: value.count)
        self.decays = decays
    }
    public func zeroGrad() { grad.withUnsafeMutableBufferPointer { $0.update(repeating: 0) } }
}

/// One stage of a network. `forward` keeps what `backward` needs; `backward` takes ∂L/∂output,
/// adds ∂L/∂parameters into the parameters' `grad`, and returns ∂L/∂input.
public protocol Layer<Scalar>: AnyObject {
    associatedtype Scalar: NetScalar
    func forward(_ x: Tensor<Scalar>, training: Bool) -> Tensor<Scalar>
    /// Inference-mode output without keeping anything for backward: safe to call from several
    /// threads at once (dense maps run tiles concurrently).
    func infer(_ x: Tensor<Scalar>) -> Tensor<Scalar>
    func backward(_ dy: consuming Tensor<Scalar>) -> Tensor<Scalar>
    /// `backward` for a layer whose input gradient nobody reads (the first layer in training).
    func accumulateParameterGradients(_ dy: consuming Tensor<Scalar>)
    var parameters: [Parameter<Scalar>] { get }
    /// Output shape (without the batch dimension) for an input of shape `s` (without batch).
    func outputShape(_ s: [Int]) -> [Int]
}

extension Layer {
    public var parameters: [Parameter<Scalar>] { [] }
    public func accumulateParameterGradients(_ dy: consuming Tensor<Scalar>) { _ = backward(dy) }
}

/// A dense array with a shape, row-major (the last index varies fastest). Images are NCHW, as in
/// PyTorch; sequences are [N, T, features].
public struct Tensor<Scalar: NetScalar>: Sendable, Equatable {
    public var shape: [Int]
    public var data: [Scalar]

    public init(shape: [Int], data: [Scalar]) {
        precondition(shape.reduce(1, *) == data.count, "shape \(shape) does not match \(data.count) values")
        self.shape = shape
        self.data = data
    }

    public init(zeros shape: [Int]) { self.init(shape: shape, data: [Scalar](repeating: 0, count: shape.reduce(1, *))) }

    public var count: Int { data.count }
    /// The leading (batch) dimension.
    public var batch: Int { shape.first ?? 0 }
    /// Values per sample.
    public var perSample: Int { batch == 0 ? 0 : count / batch }

    public func reshaped(_ s: [Int]) -> Tensor { Tensor(shape: s, data: data) }

    /// Samples `indices` of the batch, in that order.
    public func gather(_ indices: [Int]) -> Tensor {
        let p = perSample
        var out = [Scalar]()
        out.reserveCapacity(indices.count * p)
        for i in indices { out.append(contentsOf: data[(i * p)..<((i + 1) * p)]) }
        return Tensor(shape: [indices.count] + shape.dropFirst(), data: out)
    }

    /// The same values in another precision.
    public func converted<T: NetScalar>(to: T.Type = T.self) -> Tensor<T> {
        Tensor<T>(shape: shape, data: data.map { T($0) })
    }
}

/// An array of `count` values whose contents are unspecified: for buffers that are written in full
/// before they are read (it skips the zero fill, which for the networks' large activations costs as
/// much as a pass over them).
@inline(__always)
func scratch<Scalar: BinaryFloatingPoint>(_: Scalar.Type, count: Int) -> [Scalar] {
    [Scalar](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
}

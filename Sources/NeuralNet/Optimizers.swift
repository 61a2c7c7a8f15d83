/// First-order optimisers with PyTorch's update rules. L2 regularisation (`weightDecay`, λ) adds
/// λ·w to the gradient of each decaying parameter — the gradient of (λ/2)‖w‖² in the loss.
public protocol Optimizer<Scalar>: AnyObject {
    associatedtype Scalar: NetScalar
    var learningRate: Double { get set }
    func step(_ parameters: [Parameter<Scalar>])
}

/// SGD with momentum: v ← μ v + g;  w ← w − η v.
public final class SGD<Scalar: NetScalar>: Optimizer {
    public var learningRate: Double
    public let momentum: Double, weightDecay: Double
    private var velocity: [ObjectIdentifier: [Scalar]] = [:]
    public init(learningRate: Double, momentum: Double = 0.9, weightDecay: Double = 0) {
        self.learningRate = learningRate; self.momentum = momentum; self.weightDecay = weightDecay
    }
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func step(_ parameters: [Parameter<Scalar>]) {
        let lr = Scalar(learningRate), mu = Scalar(momentum), wd = Scalar(weightDecay)
        for p in parameters {
            let id = ObjectIdentifier(p)
            let first = velocity[id] == nil
            var v = velocity.removeValue(forKey: id) ?? [Scalar](repeating: 0, count: p.value.count)
            let decay: Scalar = p.decays ? wd : 0
            p.grad.withUnsafeBufferPointer { gp in p.value.withUnsafeMutableBufferPointer { wp in v.withUnsafeMutableBufferPointer { vp in
                for i in 0..<wp.count {
                    let g = gp[i] + decay * wp[i]
                    vp[i] = first ? g : mu * vp[i] + g
                    wp[i] -= lr * vp[i]
                }
            } } }
            velocity[id] = v
        }
    }
}

/// Adam (Kingma & Ba 2015) with bias correction: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g²,
/// w ← w − η m̂ / (√v̂ + ε).
public final class Adam<Scalar: NetScalar>: Optimizer {
    public var learningRate: Double
    public let beta1: Double, beta2: Double, epsilon: Double, weightDecay: Double
    private var m: [ObjectIdentifier: [Scalar]] = [:], v: [ObjectIdentifier: [Scalar]] = [:]
    private var t = 0
    public init(learningRate: Double, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
                weightDecay: Double = 0) {
        self.learningRate = learningRate; self.beta1 = beta1; self.beta2 = beta2; self.epsilon = epsilon
        self.weightDecay = weightDecay
    }
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func step(_ parameters: [Parameter<Scalar>]) {
        t += 1
        let b1 = Scalar(beta1), b2 = Scalar(beta2), wd = Scalar(weightDecay), eps = Scalar(epsilon)
        let c1 = Scalar(1 - pow(beta1, Double(t))), c2 = Scalar(1 - pow(beta2, Double(t)))
        let lr = Scalar(learningRate)
        for p in parameters {
            let id = ObjectIdentifier(p)
            var mm = m[id] ?? [Scalar](repeating: 0, count: p.value.count)
            var vv = v[id] ?? [Scalar](repeating: 0, count: p.value.count)
            for i in p.value.indices {
                let g = p.grad[i] + (p.decays ? wd * p.value[i] : 0)
                mm[i] = b1 * mm[i] + (1 - b1) * g
                vv[i] = b2 * vv[i] + (1 - b2) * g * g
                p.value[i] -= lr * (mm[i] / c1) / ((vv[i] / c2).squareRoot() + eps)
            }
            m[id] = mm; v[id] = vv
        }
    }
}

import Foundation

import Foundation

/// The arithmetic a limit-state function may use, so that it can be written once and evaluated both
/// on plain doubles and on forward-mode dual numbers (which carry the exact gradient along).
public protocol ReliabilityScalar: Sendable {
    init(_ value: Double)
    /// The real part.
    var value: Double { get }
    static func + (a: Self, b: Self) -> Self
    static func - (a: Self, b: Self) -> Self
    static func * (a: Self, b: Self) -> Self
    static func / (a: Self, b: Self) -> Self
    static prefix func - (a: Self) -> Self
    static func sqrt(_ x: Self) -> Self
    static func exp(_ x: Self) -> Self
    static func log(_ x: Self) -> Self
    static func sin(_ x: Self) -> Self
    static func cos(_ x: Self) -> Self
    static func tan(_ x: Self) -> Self
    // Mixed arithmetic with constants: requirements (with defaults below) so that a scalar type can do
    // less work when one side carries no derivative.
    static func + (a: Self, b: Double) -> Self
    static func - (a: Self, b: Double) -> Self
    static func * (a: Self, b: Double) -> Self
    static func / (a: Self, b: Double) -> Self
    static func + (a: Double, b: Self) -> Self
    static func - (a: Double, b: Self) -> Self
    static func * (a: Double, b: Self) -> Self
    static func / (a: Double, b: Self) -> Self
}

extension ReliabilityScalar {
    @inlinable public static func + (a: Self, b: Double) -> Self { a + Self(b) }
    @inlinable public static func - (a: Self, b: Double) -> Self { a - Self(b) }
    @inlinable public static func * (a: Self, b: Double) -> Self { a * Self(b) }
    @inlinable public static func / (a: Self, b: Double) -> Self { a / Self(b) }
    @inlinable public static func + (a: Double, b: Self) -> Self { Self(a) + b }
    @inlinable public static func - (a: Double, b: Self) -> Self { Self(a) - b }
    @inlinable public static func * (a: Double, b: Self) -> Self { Self(a) * b }
    @inlinable public static func / (a: Double, b: Self) -> Self { Self(a) / b }
    /// The smaller by value (the derivative follows the chosen branch).
    @inlinable public static func minimum(_ a: Self, _ b: Self) -> Self { a.value <= b.value ? a : b }
    @inlinable public static func maximum(_ a: Self, _ b: Self) -> Self { a.value >= b.value ? a : b }
}

extension Double: ReliabilityScalar {
    @inlinable public var value: Double { self }
    @inlinable public static func sqrt(_ x: Double) -> Double { x.squareRoot() }
    @inlinable public static func exp(_ x: Double) -> Double { Foundation.exp(x) }
    @inlinable public static func log(_ x: Double) -> Double { Foundation.log(x) }
    @inlinable public static func sin(_ x: Double) -> Double { Foundation.sin(x) }
    @inlinable public static func cos(_ x: Double) -> Double { Foundation.cos(x) }
    @inlinable public static func tan(_ x: Double) -> Double { Foundation.tan(x) }
}

/// A forward-mode dual number with up to eight partial derivatives: f(x + ε·d) = f(x) + ε·f′(x)·d.
///
/// Seeding variable i with the unit vector eᵢ makes `gradient` the exact ∂f/∂xᵢ (to rounding), at
/// about the cost of nine function evaluations done in one SIMD pass — no finite-difference steps.
public struct Dual: ReliabilityScalar {
    public var value: Double
    public var gradient: SIMD8<Double>

    @inlinable public init(_ value: Double) {
        self.value = value
        gradient = .zero
    }

    @inlinable public init(value: Double, gradient: SIMD8<Double>) {
        self.value = value
        self.gradient = gradient
    }

    /// Variable `index` (0…7) with value `value`: its gradient is the unit vector e_index.
    @inlinable public static func variable(_ value: Double, index: Int) -> Dual {
        var g = SIMD8<Double>.zero
        g[index] = 1
        return Dual(value: value, gradient: g)
    }

    @inlinable @inline(__always) public static func + (a: Dual, b: Dual) -> Dual {
        Dual(value: a.value + b.value, gradient: a.gradient + b.gradient)
    }
    @inlinable @inline(__always) public static func - (a: Dual, b: Dual) -> Dual {
        Dual(value: a.value - b.value, gradient: a.gradient - b.gradient)
    }
    @inlinable @inline(__always) public static func * (a: Dual, b: Dual) -> Dual {
        Dual(value: a.value * b.value, gradient: a.gradient * b.value + b.gradient * a.value)
    }
    @inlinable @inline(__always) public static func / (a: Dual, b: Dual) -> Dual {
        let q = a.value / b.value
        return Dual(value: q, gradient: (a.gradient - b.gradient * q) * (1 / b.value))
    }
    // With a constant on one side: no derivative to carry for it.
    @inlinable @inline(__always) public static func + (a: Dual, b: Double) -> Dual { Dual(value: a.value + b, gradient: a.gradient) }
    @inlinable @inline(__always) public static func - (a: Dual, b: Double) -> Dual { Dual(value: a.value - b, gradient: a.gradient) }
    @inlinable @inline(__always) public static func * (a: Dual, b: Double) -> Dual {
        Dual(value: a.value * b, gradient: a.gradient * b)
    }
    @inlinable @inline(__always) public static func / (a: Dual, b: Double) -> Dual {
        Dual(value: a.value / b, gradient: a.gradient * (1 / b))
    }
    @inlinable @inline(__always) public static func + (a: Double, b: Dual) -> Dual { Dual(value: a + b.value, gradient: b.gradient) }
    @inlinable @inline(__always) public static func - (a: Double, b: Dual) -> Dual { Dual(value: a - b.value, gradient: -b.gradient) }
    @inlinable @inline(__always) public static func * (a: Double, b: Dual) -> Dual {
        Dual(value: a * b.value, gradient: b.gradient * a)
    }
    @inlinable @inline(__always) public static func / (a: Double, b: Dual) -> Dual {
        let q = a / b.value
        return Dual(value: q, gradient: b.gradient * (-q / b.value))
    }
    @inlinable @inline(__always) public static prefix func - (a: Dual) -> Dual { Dual(value: -a.value, gradient: -a.gradient) }
    @inlinable @inline(__always) public static func sqrt(_ x: Dual) -> Dual {
        let r = x.value.squareRoot()
        return Dual(value: r, gradient: x.gradient / (2 * r))
    }
    @inlinable @inline(__always) public static func exp(_ x: Dual) -> Dual {
        let e = Foundation.exp(x.value)
        return Dual(value: e, gradient: x.gradient * e)
    }
    @inlinable @inline(__always) public static func log(_ x: Dual) -> Dual {
        Dual(value: Foundation.log(x.value), gradient: x.gradient / x.value)
    }
    @inlinable @inline(__always) public static func sin(_ x: Dual) -> Dual {
        Dual(value: Foundation.sin(x.value), gradient: x.gradient * Foundation.cos(x.value))
    }
    @inlinable @inline(__always) public static func cos(_ x: Dual) -> Dual {
        Dual(value: Foundation.cos(x.value), gradient: x.gradient * -Foundation.sin(x.value))
    }
    @inlinable @inline(__always) public static func tan(_ x: Dual) -> Dual {
        let t = Foundation.tan(x.value)
        return Dual(value: t, gradient: x.gradient * (1 + t * t))
    }
}

/// Eight values of one scalar type: the argument of a limit state (unused slots are ignored).
public struct Vector8<T: Sendable>: Sendable {
    public var storage: (T, T, T, T, T, T, T, T)

    @inlinable public init(repeating v: T) { storage = (v, v, v, v, v, v, v, v) }

    @inlinable @inline(__always) public subscript(i: Int) -> T {
        get {
            switch i {
            case 0: return storage.0
            case 1: return storage.1
            case 2: return storage.2
            case 3: return storage.3
            case 4: return storage.4
            case 5: return storage.5
            case 6: return storage.6
            default: return storage.7
            }
        }
        set {
            switch i {
            case 0: storage.0 = newValue
            case 1: storage.1 = newValue
            case 2: storage.2 = newValue
            case 3: storage.3 = newValue
            case 4: storage.4 = newValue
            case 5: storage.5 = newValue
            case 6: storage.6 = newValue
            default: storage.7 = newValue
            }
        }
    }
}

/// A limit-state function g(x): failure where g < 0. Written generically so that FORM can evaluate it
/// on ``Dual`` numbers for exact gradients. At most eight variables.
public protocol LimitState: Sendable {
    func callAsFunction<T: ReliabilityScalar>(_ x: Vector8<T>) -> T
}

/// Plain geometry in points (1/72 inch), origin at the top-left corner, y downwards: the
/// coordinate system of every canvas, whatever the output format.
public struct Point: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public init(_ x: Double, _ y: Double) { self.x = x; self.y = y }
}

public struct Rect: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double
    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x; self.y = y; self.width = width; self.height = height
    }
    public var minX: Double { x }
    public var maxX: Double { x + width }
    public var minY: Double { y }
    public var maxY: Double { y + height }
    public var midX: Double { x + width / 2 }
    public var midY: Double { y + height / 2 }
    public var center: Point { Point(midX, midY) }

    /// The rectangle shrunk by the given margins (points).
    public func inset(top: Double = 0, left: Double = 0, bottom: Double = 0, right: Double = 0) -> Rect {
        Rect(x: x + left, y: y + top, width: max(0, width - left - right), height: max(0, height - top - bottom))
    }
    public func inset(by d: Double) -> Rect { inset(top: d, left: d, bottom: d, right: d) }

    /// The largest rectangle of the given aspect ratio (width / height) centred in this one.
    public func fitted(aspect: Double) -> Rect {
        guard aspect > 0, width > 0, height > 0 else { return self }
        if width / height > aspect {
            let w = height * aspect
            return Rect(x: x + (width - w) / 2, y: y, width: w, height: height)
        }
        let h = width / aspect
        return Rect(x: x, y: y + (height - h) / 2, width: width, height: h)
    }
}

/// A figure's size in points. Journals' single column is ≈ 252 pt (3.5 in), double ≈ 504 pt (7 in).
public struct Size: Sendable, Equatable {
    public var width: Double
    public var height: Double
    public init(width: Double, height: Double) { self.width = width; self.height = height }
}

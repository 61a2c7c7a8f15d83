/// What a legend entry shows beside its label.
public enum LegendSymbol: Sendable {
    case line(Color, dash: [Double])
    case swatch(Color)
    case marker(Color, MarkerShape)
}

public struct LegendEntry: Sendable {
    public var label: String
    public var symbol: LegendSymbol
    public init(_ label: String, _ symbol: LegendSymbol) { self.label = label; self.symbol = symbol }
}

public enum LegendPlacement: Sendable { case upperLeft, upperRight, lowerLeft, lowerRight }

/// Marker shapes, cycled with series so that they differ in more than colour.
public enum MarkerShape: Sendable, CaseIterable {
    case circle, square, triangle, diamond

    public static func cycling(_ i: Int) -> MarkerShape { allCases[i % allCases.count] }
}

extension Canvas {
    /// Adds a marker's outline to the path.
    public func addMarker(_ shape: MarkerShape, at p: Point, size: Double) {
        let r = size / 2
        switch shape {
        case .circle: addCircle(center: p, radius: r)
        case .square: addRect(Rect(x: p.x - r * 0.9, y: p.y - r * 0.9, width: r * 1.8, height: r * 1.8))
        case .triangle:
            addPolyline([Point(p.x, p.y - r * 1.15), Point(p.x + r, p.y + r * 0.75), Point(p.x - r, p.y + r * 0.75)],
                        closed: true)
        case .diamond:
            addPolyline([Point(p.x, p.y - r * 1.2), Point(p.x + r, p.y), Point(p.x, p.y + r * 1.2), Point(p.x - r, p.y)],
                        closed: true)
        }
    }

    /// Size of a legend box for these entries.
    public func legendSize(_ entries: [LegendEntry]) -> Size {
        let t = theme
        let widest = entries.map { textWidth($0.label, size: t.legendSize) }.max() ?? 0
        return Size(width: 6 + 18 + 5 + widest + 6, height: 5 + Double(entries.count) * t.legendSize * 1.45 + 3)
    }

    /// Draws a legend in a corner of `rect` (usually the plotting area), on a white box.
    public func drawLegend(_ entries: [LegendEntry], in rect: Rect, placement: LegendPlacement) {
        guard !entries.isEmpty else { return }
        let s = legendSize(entries)
        let pad = 6.0
        let x = (placement == .upperLeft || placement == .lowerLeft) ? rect.minX + pad : rect.maxX - pad - s.width
        let y = (placement == .upperLeft || placement == .upperRight) ? rect.minY + pad : rect.maxY - pad - s.height
        drawLegend(entries, at: Point(x, y))
    }

    /// Draws a legend with its top-left corner at `origin`.
    public func drawLegend(_ entries: [LegendEntry], at origin: Point) {
        let t = theme
        let s = legendSize(entries)
        let box = Rect(x: origin.x, y: origin.y, width: s.width, height: s.height)
        fillRect(box, Color.white.withAlpha(0.9))
        strokeRect(box, Color(hex: 0xBBBBBB), width: 0.5)
        let rowH = t.legendSize * 1.45
        for (i, e) in entries.enumerated() {
            let cy = box.minY + 5 + rowH * (Double(i) + 0.5)
            let sx = box.minX + 6
            switch e.symbol {
            case let .line(c, dash):
                strokeLine(Point(sx, cy), Point(sx + 18, cy), color: c, width: t.seriesLineWidth, dash: dash)
            case let .swatch(c):
                let r = Rect(x: sx + 3, y: cy - 4.5, width: 12, height: 9)
                fillRect(r, c)
                strokeRect(r, Color(hex: 0x555555), width: 0.4)
            case let .marker(c, shape):
                newPath(); addMarker(shape, at: Point(sx + 9, cy), size: 5.5)
                // A light marker (e.g. the white mean diamond of box plots) needs a dark outline.
                fill(c, preserve: true); stroke(c.luminance > 0.8 ? t.axisColor : Color.white, width: c.luminance > 0.8 ? 0.7 : 0.4)
            }
            text(e.label, at: Point(sx + 23, cy), size: t.legendSize, align: .left, vAlign: .middle)
        }
    }

    /// A vertical colour bar for a continuous map from `lo` to `hi`, ticks on the right.
    public func drawColorBar(_ map: ColorMap, lo: Double, hi: Double, in rect: Rect, label: String) {
        let t = theme
        let steps = 128
        var pixels: [UInt32] = []
        pixels.reserveCapacity(steps)
        for i in 0..<steps { pixels.append(map.color(at: 1 - (Double(i) + 0.5) / Double(steps)).premultipliedARGB) }
        drawImage(argb: pixels, width: 1, height: steps, in: rect)
        strokeRect(rect, t.axisColor, width: 0.5)
        let axis = Axis.linear(lo, hi, label: "", target: 4, extend: false)
        for (v, s) in zip(axis.ticks, axis.tickLabels) {
            let y = rect.maxY - (v - lo) / (hi - lo) * rect.height
            strokeLine(Point(rect.maxX, y), Point(rect.maxX + 2.5, y), color: t.axisColor, width: 0.6)
            text(s, at: Point(rect.maxX + 4, y), size: t.tickSize, align: .left, vAlign: .middle)
        }
        if !label.isEmpty {
            let w = axis.tickLabels.map { textWidth($0, size: t.tickSize) }.max() ?? 0
            text(label, at: Point(rect.maxX + 6 + w + 3, rect.midY), size: t.labelSize, align: .center,
                 vAlign: .bottom, rotationDegrees: -90)
        }
    }
}

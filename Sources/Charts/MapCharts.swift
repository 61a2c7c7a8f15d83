import Foundation

/// A north-up raster in a projected CRS: `columns` × `rows` square cells of `cellSize` metres whose
/// upper-left corner is at (`west`, `north`). Row 0 is the northern edge.
public struct MapGrid: Sendable, Equatable {
    public var columns: Int
    public var rows: Int
    public var west: Double
    public var north: Double
    public var cellSize: Double
    /// Shown in the axis titles, e.g. "EPSG:32717".
    public var crsName: String
    /// The study-area outline: rings of (easting, northing), drawn over the raster; empty for none.
    public var outline: [[Point]]

    public init(columns: Int, rows: Int, west: Double, north: Double, cellSize: Double, crsName: String = "",
                outline: [[Point]] = []) {
        self.columns = columns; self.rows = rows; self.west = west; self.north = north; self.cellSize = cellSize
        self.crsName = crsName; self.outline = outline
    }

    public var east: Double { west + Double(columns) * cellSize }
    public var south: Double { north - Double(rows) * cellSize }
    public var count: Int { columns * rows }
}

/// Resamples a raster to at most `maxColumns` × `maxRows` by nearest neighbour (the cell under each
/// output pixel's centre) and colours it; cells without a colour (nil) become transparent.
func rasterImage(grid: MapGrid, maxColumns: Int, maxRows: Int, color: (Int) -> UInt32) -> (pixels: [UInt32], w: Int, h: Int) {
    let w = max(1, min(grid.columns, maxColumns)), h = max(1, min(grid.rows, maxRows))
    var pixels = [UInt32](repeating: 0, count: w * h)
    let colIndex = (0..<w).map { min(grid.columns - 1, Int((Double($0) + 0.5) * Double(grid.columns) / Double(w))) }
    pixels.withUnsafeMutableBufferPointer { out in
        for r in 0..<h {
            let src = min(grid.rows - 1, Int((Double(r) + 0.5) * Double(grid.rows) / Double(h))) * grid.columns
            let dst = r * w
            for c in 0..<w { out[dst + c] = color(src + colIndex[c]) }
        }
    }
    return (pixels, w, h)
}

/// What a map chart shares: the frame with projected coordinates, the raster, points, a scale bar
/// and a north arrow. The `side` closure draws the legend or colour bar in the space on the right.
struct MapLayout {
    let grid: MapGrid
    let title: String?
    let sideWidth: Double

    func draw(on canvas: Canvas, in rect: Rect, image: (Rect) -> Void, points: [(Double, Double)],
              side: (Rect, Rect) -> Void) {
        let t = canvas.theme
        let area = canvas.drawTitle(title, in: rect)
        let frameArea = area.inset(top: t.tickSize * 0.7, left: t.tickSize * 1.3 + t.tickLength + 4 + t.labelSize * 1.5,
                                   bottom: t.tickSize * 1.3 + t.tickLength + 4 + t.labelSize * 1.5, right: sideWidth + 10)
        let aspect = (grid.east - grid.west) / (grid.north - grid.south)
        var map = frameArea.fitted(aspect: aspect)
        map.y = frameArea.minY // top-aligned: no gap under the title
        func px(_ e: Double) -> Double { map.minX + (e - grid.west) / (grid.east - grid.west) * map.width }
        func py(_ n: Double) -> Double { map.minY + (grid.north - n) / (grid.north - grid.south) * map.height }
        canvas.fillRect(map, Color(hex: 0xF4F4F4))
        image(map)
        canvas.save(); canvas.clip(to: map)
        // The study-area outline, a white halo under a dark line so it reads on every class colour.
        for (color, width) in [(Color.white, 2.2), (Color(hex: 0x202020), 1.0)] {
            for ring in grid.outline where ring.count > 2 {
                canvas.newPath(); canvas.addPolyline(ring.map { Point(px($0.x), py($0.y)) }, closed: true)
                canvas.stroke(color, width: width)
            }
        }
        // Points: white discs with a black rim, visible on the darkest and the lightest class.
        for (e, n) in points {
            canvas.newPath(); canvas.addCircle(center: Point(px(e), py(n)), radius: 1.9)
            canvas.fill(.white, preserve: true); canvas.stroke(.black, width: 0.8)
        }
        canvas.restore()
        canvas.strokeRect(map, t.axisColor, width: t.axisLineWidth)
        // Projected coordinate ticks: eastings below, northings on the left (rotated, as on survey maps).
        // A label that would reach past the frame's corner (where the other axis's labels are) is dropped.
        let xt = niceTicks(grid.west, grid.east, target: max(2, Int(map.width / 70))).ticks.filter {
            $0 >= grid.west && $0 <= grid.east
                && px($0) - canvas.textWidth(formatGrouped($0), size: t.tickSize) / 2 >= map.minX - t.tickLength
        }
        let yt = niceTicks(grid.south, grid.north, target: max(2, Int(map.height / 70))).ticks.filter {
            $0 >= grid.south && $0 <= grid.north
                && py($0) + canvas.textWidth(formatGrouped($0), size: t.tickSize) / 2 <= map.maxY + t.tickLength
        }
        for e in xt {
            canvas.strokeLine(Point(px(e), map.maxY), Point(px(e), map.maxY + t.tickLength), color: t.axisColor, width: 0.6)
            canvas.text(formatGrouped(e), at: Point(px(e), map.maxY + t.tickLength + 2), size: t.tickSize, align: .center,
                        vAlign: .top)
        }
        for n in yt {
            canvas.strokeLine(Point(map.minX - t.tickLength, py(n)), Point(map.minX, py(n)), color: t.axisColor, width: 0.6)
            canvas.text(formatGrouped(n), at: Point(map.minX - t.tickLength - 2, py(n)), size: t.tickSize, align: .center,
                        vAlign: .bottom, rotationDegrees: 90)
        }
        let crs = grid.crsName.isEmpty ? "" : ", \(grid.crsName)"
        canvas.text("Easting (m\(crs))", at: Point(map.midX, map.maxY + t.tickLength + 4 + t.tickSize * 1.3),
                    size: t.labelSize, align: .center, vAlign: .top)
        canvas.text("Northing (m\(crs))", at: Point(map.minX - t.tickLength - 4 - t.tickSize * 1.3, map.midY),
                    size: t.labelSize, align: .center, vAlign: .bottom, rotationDegrees: 90)
        drawScaleBar(on: canvas, map: map)
        drawNorthArrow(on: canvas, at: Point(map.maxX - 14, map.minY + 8))
        side(map, Rect(x: map.maxX + 10, y: map.minY, width: sideWidth, height: map.height))
    }

    /// A two-segment scale bar, a quarter of the map's width rounded down to 1, 2 or 5 × 10ᵏ m.
    func drawScaleBar(on canvas: Canvas, map: Rect) {
        let t = canvas.theme
        let widthM = grid.east - grid.west
        let target = widthM / 4
        let mag = pow(10, floor(log10(target)))
        let length = [5.0, 2, 1].map { $0 * mag }.first { $0 <= target } ?? mag
        let lengthPt = length / widthM * map.width
        let x0 = map.minX + 8, y0 = map.maxY - 10
        let label = length >= 1000 ? "\(formatNumber(length / 1000, decimals: decimalsFor(step: length / 1000))) km"
                                   : "\(formatNumber(length, decimals: 0)) m"
        let box = Rect(x: x0 - 4, y: y0 - t.tickSize - 4, width: lengthPt + canvas.textWidth(label, size: t.tickSize - 1) / 2 + 8,
                       height: t.tickSize + 11)
        canvas.fillRect(box, Color.white.withAlpha(0.8))
        for k in 0..<2 {
            let r = Rect(x: x0 + Double(k) * lengthPt / 2, y: y0, width: lengthPt / 2, height: 3.5)
            canvas.fillRect(r, k == 0 ? .black : .white)
            canvas.strokeRect(r, .black, width: 0.5)
        }
        canvas.text("0", at: Point(x0, y0 - 1.5), size: t.tickSize - 1, align: .center, vAlign: .bottom)
        canvas.text(label, at: Point(x0 + lengthPt, y0 - 1.5), size: t.tickSize - 1, align: .center, vAlign: .bottom)
    }

    func drawNorthArrow(on canvas: Canvas, at p: Point) {
        let t = canvas.theme
        let h = 16.0
        canvas.newPath()
        canvas.addPolyline([Point(p.x, p.y + 8), Point(p.x + 5, p.y + 8 + h), Point(p.x, p.y + 8 + h * 0.72),
                            Point(p.x - 5, p.y + 8 + h)], closed: true)
        canvas.fill(.black, preserve: true); canvas.stroke(.white, width: 0.6)
        canvas.text("N", at: Point(p.x, p.y + 7), size: t.labelSize, bold: true, align: .center, vAlign: .bottom)
    }
}

/// A classed map (e.g. susceptibility, very low → very high) with its legend, landslide points, scale
/// bar, north arrow and projected coordinates.
public struct ClassedMapChart: Chart {
    public var grid: MapGrid
    /// Class index per cell, row-major from the north-west corner; `nodataClass` marks cells outside.
    public var classes: [UInt8]
    public var classNames: [String]
    /// One colour per class; the theme's susceptibility palette when nil (5 classes).
    public var colors: [Color]?
    public var nodataClass: UInt8
    public var points: [(Double, Double)]
    public var pointsLabel: String
    /// Show each class's share of the valid cells in the legend.
    public var showShares: Bool
    public var title: String?

    public init(grid: MapGrid, classes: [UInt8], classNames: [String] = Theme.susceptibilityClassNames,
                colors: [Color]? = nil, nodataClass: UInt8 = 255, points: [(Double, Double)] = [],
                pointsLabel: String = "Landslides", showShares: Bool = true, title: String? = nil) {
        self.grid = grid; self.classes = classes; self.classNames = classNames; self.colors = colors
        self.nodataClass = nodataClass; self.points = points; self.pointsLabel = pointsLabel; self.showShares = showShares
        self.title = title
    }

    public var preferredSize: Size {
        // The map takes the width left by the axis labels and the legend; the height follows its aspect.
        let aspect = Double(grid.columns) / Double(max(1, grid.rows))
        return Size(width: 430, height: min(560, max(200, 270 / aspect + 60)))
    }

    public func validate() throws {
        guard classes.count == grid.count, grid.count > 0 else {
            throw ChartError.invalidData(chart: "classed map", reason: "\(classes.count) classes for \(grid.columns) × \(grid.rows) cells")
        }
        if let colors, colors.count < classNames.count {
            throw ChartError.invalidData(chart: "classed map", reason: "\(colors.count) colours for \(classNames.count) classes")
        }
        if let bad = classes.first(where: { $0 != nodataClass && Int($0) >= classNames.count }) {
            throw ChartError.invalidData(chart: "classed map", reason: "class \(bad) has no name (\(classNames.count) classes)")
        }
    }

    public func draw(on canvas: Canvas, in rect: Rect) {
        let t = canvas.theme
        let palette = colors ?? t.susceptibility
        var counts = [Int](repeating: 0, count: classNames.count)
        for c in classes where c != nodataClass { counts[Int(c)] += 1 }
        let valid = max(1, counts.reduce(0, +))
        var entries = classNames.enumerated().map { i, name in
            LegendEntry(showShares ? "\(name) (\(formatNumber(100 * Double(counts[i]) / Double(valid), decimals: 1)) %)" : name,
                        .swatch(palette[i]))
        }
        if !points.isEmpty { entries.append(LegendEntry("\(pointsLabel) (\(points.count))", .marker(.white, .circle))) }
        if !grid.outline.isEmpty { entries.append(LegendEntry("Study area", .line(Color(hex: 0x202020), dash: []))) }
        let legend = canvas.legendSize(entries)
        let layout = MapLayout(grid: grid, title: title, sideWidth: legend.width)
        let lut = (0..<256).map { i -> UInt32 in i < palette.count && i != Int(nodataClass) ? palette[i].premultipliedARGB : 0 }
        let resolution = canvas.format == .png ? canvas.pixelsPerPoint : 300.0 / 72
        layout.draw(on: canvas, in: rect, image: { map in
            let img = classes.withUnsafeBufferPointer { cls in
                rasterImage(grid: grid, maxColumns: Int((map.width * resolution).rounded()),
                            maxRows: Int((map.height * resolution).rounded())) { lut[Int(cls[$0])] }
            }
            canvas.drawImage(argb: img.pixels, width: img.w, height: img.h, in: map)
        }, points: points, side: { map, side in
            canvas.drawLegend(entries, at: Point(side.minX, map.minY))
        })
    }
}

/// A continuous map (POF, FOS, β …) in a perceptual colour map with a colour bar.
public struct ContinuousMapChart: Chart {
    public var grid: MapGrid
    /// Values row-major from the north-west corner; NaN = no data.
    public var values: [Double]
    public var colorMap: ColorMap
    /// The colour bar's range; the data's range when nil.
    public var range: ClosedRange<Double>?
    public var valueLabel: String
    public var points: [(Double, Double)]
    public var title: String?

    public init(grid: MapGrid, values: [Double], colorMap: ColorMap = .viridis, range: ClosedRange<Double>? = nil,
                valueLabel: String, points: [(Double, Double)] = [], title: String? = nil) {
        self.grid = grid; self.values = values; self.colorMap = colorMap; self.range = range
        self.valueLabel = valueLabel; self.points = points; self.title = title
    }

    public var preferredSize: Size {
        let aspect = Double(grid.columns) / Double(max(1, grid.rows))
        return Size(width: 400, height: min(560, max(200, 290 / aspect + 60)))
    }

    public func validate() throws {
        guard values.count == grid.count, grid.count > 0 else {
            throw ChartError.invalidData(chart: "continuous map", reason: "\(values.count) values for \(grid.columns) × \(grid.rows) cells")
        }
        guard values.contains(where: \.isFinite) else {
            throw ChartError.invalidData(chart: "continuous map", reason: "no finite values")
        }
    }

    public func draw(on canvas: Canvas, in rect: Rect) {
        let finite = values.filter(\.isFinite)
        var lo = range?.lowerBound ?? finite.min()!, hi = range?.upperBound ?? finite.max()!
        if lo == hi { lo -= 0.5; hi += 0.5 }
        // A 256-entry lookup table keeps colouring a large raster cheap.
        let lut = (0..<256).map { colorMap.color(at: Double($0) / 255).premultipliedARGB }
        let layout = MapLayout(grid: grid, title: title, sideWidth: 58)
        let resolution = canvas.format == .png ? canvas.pixelsPerPoint : 300.0 / 72
        let scale = 255 / (hi - lo)
        layout.draw(on: canvas, in: rect, image: { map in
            let img = values.withUnsafeBufferPointer { v in
                rasterImage(grid: grid, maxColumns: Int((map.width * resolution).rounded()),
                            maxRows: Int((map.height * resolution).rounded())) { i in
                    let x = v[i]
                    guard x.isFinite else { return 0 }
                    return lut[Int(min(255, max(0, ((x - lo) * scale).rounded())))]
                }
            }
            canvas.drawImage(argb: img.pixels, width: img.w, height: img.h, in: map)
        }, points: points, side: { map, side in
            let bar = Rect(x: side.minX, y: map.minY + map.height * 0.1, width: 9, height: map.height * 0.8)
            canvas.drawColorBar(colorMap, lo: lo, hi: hi, in: bar, label: valueLabel)
        })
    }
}

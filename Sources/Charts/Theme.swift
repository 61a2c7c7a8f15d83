/// The one look of every figure: fonts, sizes in points, line widths, palettes.
///
/// Categorical colours are Okabe & Ito's (2008) colour-blind-safe set; series also differ by dash
/// pattern and marker so that a figure survives greyscale printing. Susceptibility classes use the
/// 5-class ColorBrewer YlOrRd sequence (very low → very high), which is colour-blind safe and ordered
/// in lightness.
public struct Theme: Sendable {
    public var fontFamily = "DejaVu Sans"
    public var titleSize = 10.0
    public var labelSize = 9.0
    public var tickSize = 8.0
    public var legendSize = 8.0
    public var annotationSize = 8.0
    public var panelLetterSize = 11.0
    public var axisLineWidth = 0.8
    public var gridLineWidth = 0.4
    public var seriesLineWidth = 1.5
    public var tickLength = 3.5
    public var gridColor = Color(hex: 0xE5E5E5)
    public var axisColor = Color(hex: 0x333333)
    public var textColor = Color(hex: 0x111111)
    /// Space (points) around a chart's plotting area for titles, ticks and axis labels.
    public var margin = 8.0

    /// Okabe–Ito, ordered so that neighbours differ in hue and lightness (the vermilion of series 2 and
    /// the orange of series 7 never meet in one chart of up to six series).
    public var categorical: [Color] = [
        0x0072B2, 0xD55E00, 0x009E73, 0xCC79A7, 0x000000, 0x56B4E9, 0xE69F00, 0xF0E442,
    ].map { Color(hex: $0) }

    /// Dash patterns (points) cycling with the categorical colours; empty = solid.
    public var dashes: [[Double]] = [[], [5, 2.5], [1.5, 2], [6, 2, 1.5, 2], [3, 3], [9, 2.5], [2, 2, 6, 2], [1, 3]]

    /// Very low, low, moderate, high, very high.
    public var susceptibility: [Color] = [0xFFFFB2, 0xFECC5C, 0xFD8D3C, 0xF03B20, 0xBD0026].map { Color(hex: $0) }
    public static let susceptibilityClassNames = ["Very low", "Low", "Moderate", "High", "Very high"]

    public init() {}
    public static let standard = Theme()

    public func color(_ i: Int) -> Color { categorical[((i % categorical.count) + categorical.count) % categorical.count] }
    public func dash(_ i: Int) -> [Double] { dashes[((i % dashes.count) + dashes.count) % dashes.count] }
}

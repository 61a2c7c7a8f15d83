import Foundation

/// An sRGB colour with alpha, components in 0…1.
public struct Color: Sendable, Equatable, Hashable {
    public var red: Double
    public var green: Double
    public var blue: Double
    public var alpha: Double

    public init(red: Double, green: Double, blue: Double, alpha: Double = 1) {
        self.red = red; self.green = green; self.blue = blue; self.alpha = alpha
    }

    /// From a 24-bit hex value, e.g. `Color(hex: 0xE69F00)`.
    public init(hex: UInt32, alpha: Double = 1) {
        self.init(red: Double((hex >> 16) & 0xFF) / 255, green: Double((hex >> 8) & 0xFF) / 255,
                  blue: Double(hex & 0xFF) / 255, alpha: alpha)
    }

    public func withAlpha(_ a: Double) -> Color { Color(red: red, green: green, blue: blue, alpha: a) }

    /// Relative luminance (WCAG 2), used to pick black or white text over a fill.
    public var luminance: Double {
        func lin(_ c: Double) -> Double { c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4) }
        return 0.2126 * lin(red) + 0.7152 * lin(green) + 0.0722 * lin(blue)
    }

    /// Black or white, whichever reads better on this colour.
    public var contrastingText: Color { luminance > 0.4 ? .black : .white }

    /// Linear interpolation in sRGB.
    public static func mix(_ a: Color, _ b: Color, _ t: Double) -> Color {
        Color(red: a.red + (b.red - a.red) * t, green: a.green + (b.green - a.green) * t,
              blue: a.blue + (b.blue - a.blue) * t, alpha: a.alpha + (b.alpha - a.alpha) * t)
    }

    public static let black = Color(hex: 0x000000)
    public static let white = Color(hex: 0xFFFFFF)
    public static let gray = Color(hex: 0x777777)
    public static let lightGray = Color(hex: 0xDDDDDD)
}

/// A continuous colour map: colours at evenly spaced stops, interpolated linearly between them.
public struct ColorMap: Sendable {
    public let stops: [Color]
    public init(stops: [Color]) { precondition(stops.count >= 2, "a colour map needs two stops"); self.stops = stops }

    /// The colour at t ∈ [0, 1] (clamped).
    public func color(at t: Double) -> Color {
        let u = t.isNaN ? 0 : min(1, max(0, t))
        let scaled = u * Double(stops.count - 1)
        let i = min(stops.count - 2, Int(scaled))
        return Color.mix(stops[i], stops[i + 1], scaled - Double(i))
    }

    /// viridis (van der Walt & Smith, matplotlib): perceptually uniform, colour-blind safe, prints in
    /// grey. The 11 stops are its published values at 0, 0.1, …, 1.
    public static let viridis = ColorMap(stops: [
        0x440154, 0x482475, 0x414487, 0x355F8D, 0x2A788E, 0x21918C, 0x22A884, 0x44BF70, 0x7AD151, 0xBDDF26, 0xFDE725,
    ].map { Color(hex: $0) })

    /// A diverging map for correlations (−1 … +1): ColorBrewer RdBu (11 classes) reversed, blue for negative.
    public static let divergingBlueRed = ColorMap(stops: [
        0x053061, 0x2166AC, 0x4393C3, 0x92C5DE, 0xD1E5F0, 0xF7F7F7, 0xFDDBC7, 0xF4A582, 0xD6604D, 0xB2182B, 0x67001F,
    ].map { Color(hex: $0) })

    /// Low → high feature values in SHAP beeswarms (blue → red through purple, as the shap package).
    public static let featureValue = ColorMap(stops: [Color(hex: 0x008BFB), Color(hex: 0x7A3EC2), Color(hex: 0xFF0052)])

    /// A light sequential map for densities (ColorBrewer Blues, 9 classes).
    public static let blues = ColorMap(stops: [
        0xF7FBFF, 0xDEEBF7, 0xC6DBEF, 0x9ECAE1, 0x6BAED6, 0x4292C6, 0x2171B5, 0x08519C, 0x08306B,
    ].map { Color(hex: $0) })
}

/// Median filter of an 8-bit image as OpenCV's `medianBlur(src, k)`: the median of the k × k window
/// (k odd), the border replicated (OpenCV's BORDER_REPLICATE for this filter).
public func medianBlur(_ src: [UInt8], rows: Int, cols: Int, size k: Int) -> [UInt8] {
    precondition(k >= 3 && k % 2 == 1, "the window size must be odd and ≥ 3")
    let r = k / 2
    var dst = src
    var window = [UInt8](repeating: 0, count: k * k)
    for row in 0..<rows {
        for col in 0..<cols {
            var n = 0
            for dr in -r...r {
                let y = min(max(row + dr, 0), rows - 1)
                for dc in -r...r {
                    let x = min(max(col + dc, 0), cols - 1)
                    window[n] = src[y * cols + x]
                    n += 1
                }
            }
            window.sort()
            dst[row * cols + col] = window[k * k / 2]
        }
    }
    return dst
}

/// Histogram equalisation of an 8-bit image as OpenCV's `equalizeHist`: with i₀ the lowest occupied
/// level and N the pixel count, lut[i₀] = 0 and lut[i] = round(255 · (cdf(i) − h(i₀)) / (N − h(i₀))) above
/// it (OpenCV rounds `sum · scale` in single precision); a constant image maps to its own level.
public func equalizeHistogram(_ src: [UInt8]) -> [UInt8] {
    var histogram = [Int](repeating: 0, count: 256)
    for v in src { histogram[Int(v)] += 1 }
    var first = 0
    while first < 255 && histogram[first] == 0 { first += 1 }
    let total = src.count
    if histogram[first] == total { return src.map { _ in UInt8(first) } }
    let scale = Float(255) / Float(total - histogram[first])
    var lut = [UInt8](repeating: 0, count: 256)
    var sum = 0
    for i in (first + 1)..<256 {
        sum += histogram[i]
        let v = (Float(sum) * scale).rounded(.toNearestOrEven)
        lut[i] = UInt8(min(max(v, 0), 255))
    }
    return src.map { lut[Int($0)] }
}

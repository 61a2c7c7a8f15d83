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

/// Gaussian blur of an 8-bit image as OpenCV's `GaussianBlur(src, (k, k), 0)` for k ∈ {3, 5, 7, 9}: OpenCV
/// then uses fixed kernels with power-of-two sums (1-2-1 / 4, 1-4-6-4-1 / 16, 2-7-14-18-14-7-2 / 64, and
/// 4-13-30-51-60-51-30-13-4 / 256) in fixed-point arithmetic whose intermediates are exact, so the result
/// is Σᵢⱼ wᵢwⱼ·p / S² rounded half up; the border is reflected without repeating the edge (REFLECT_101).
/// Other sizes and σ > 0 are not supported.
public func gaussianBlur(_ src: [UInt8], rows: Int, cols: Int, size k: Int) -> [UInt8] {
    let kernels: [Int: [Int]] = [3: [1, 2, 1], 5: [1, 4, 6, 4, 1], 7: [2, 7, 14, 18, 14, 7, 2],
                                 9: [4, 13, 30, 51, 60, 51, 30, 13, 4]]
    guard let w = kernels[k] else { preconditionFailure("Gaussian blur supports sizes 3, 5, 7 and 9") }
    let s = w.reduce(0, +), r = k / 2
    @inline(__always) func reflect(_ p: Int, _ n: Int) -> Int {
        if n == 1 { return 0 }
        var q = p
        while q < 0 || q >= n { q = q < 0 ? -q : 2 * (n - 1) - q }
        return q
    }
    // Row pass in integers (exact), then column pass, then one rounding.
    var rowSums = [Int](repeating: 0, count: src.count)
    for row in 0..<rows {
        for col in 0..<cols {
            var acc = 0
            for t in 0..<k { acc += w[t] * Int(src[row * cols + reflect(col + t - r, cols)]) }
            rowSums[row * cols + col] = acc
        }
    }
    let divisor = s * s
    var dst = src
    for row in 0..<rows {
        for col in 0..<cols {
            var acc = 0
            for t in 0..<k { acc += w[t] * rowSums[reflect(row + t - r, rows) * cols + col] }
            dst[row * cols + col] = UInt8((acc + divisor / 2) / divisor)
        }
    }
    return dst
}

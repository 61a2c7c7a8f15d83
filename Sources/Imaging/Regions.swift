/// Connected regions of a binary image and their removal below a size.
public enum Regions {
    /// Labels the set (non-zero) cells by 8- or 4-connectivity, in raster order of first appearance
    /// (label 0 = background). Returns the labels and the area of each label (index 0 unused).
    public static func label(_ mask: [UInt8], rows: Int, cols: Int, eightConnected: Bool = true) -> (labels: [Int32], areas: [Int]) {
        var labels = [Int32](repeating: 0, count: mask.count)
        var areas = [0]
        var stack: [Int] = []
        let neighbours: [(Int, Int)] = eightConnected
            ? [(-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0), (1, 1)]
            : [(-1, 0), (0, -1), (0, 1), (1, 0)]
        for start in 0..<mask.count where mask[start] != 0 && labels[start] == 0 {
            let label = Int32(areas.count)
            var area = 0
            labels[start] = label
            stack.append(start)
            while let c = stack.popLast() {
                area += 1
                let row = c / cols, col = c % cols
                for (dr, dc) in neighbours {
                    let r = row + dr, q = col + dc
                    guard r >= 0, r < rows, q >= 0, q < cols else { continue }
                    let n = r * cols + q
                    if mask[n] != 0 && labels[n] == 0 {
                        labels[n] = label
                        stack.append(n)
                    }
                }
            }
            areas.append(area)
        }
        return (labels, areas)
    }

    /// The mask with every region smaller than `minimumArea` cells cleared.
    public static func removeSmall(_ mask: [UInt8], rows: Int, cols: Int, minimumArea: Int,
                                   eightConnected: Bool = true) -> [UInt8] {
        let (labels, areas) = label(mask, rows: rows, cols: cols, eightConnected: eightConnected)
        return zip(mask, labels).map { m, l in l > 0 && areas[Int(l)] < minimumArea ? 0 : m }
    }
}

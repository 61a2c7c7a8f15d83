import Randomness

/// How a model is scored: which samples train it and which test it. Each function returns index
/// lists into the sample set and depends only on its inputs and the generator.
public enum Validation {
    /// A random split keeping the class proportions (the studies' 70/30): `trainFraction` of each
    /// class (rounded) for training, the rest for testing.
    public static func stratifiedSplit(labels: [Int], trainFraction: Double, generator: inout SeededGenerator)
        -> (train: [Int], test: [Int]) {
        var train: [Int] = [], test: [Int] = []
        for cls in Set(labels).sorted() {
            let members = labels.indices.filter { labels[$0] == cls }
            let order = Trainer.permutation(members.count, generator: &generator).map { members[$0] }
            let n = Int((Double(members.count) * trainFraction).rounded())
            train += order.prefix(n); test += order.dropFirst(n)
        }
        return (train.sorted(), test.sorted())
    }

    /// Conventional k-fold cross-validation: a random partition into k folds of (nearly) equal size.
    /// Returns the test indices of each fold.
    public static func randomFolds(count: Int, k: Int, generator: inout SeededGenerator) -> [[Int]] {
        let order = Trainer.permutation(count, generator: &generator)
        return (0..<k).map { f in order.indices.filter { $0 % k == f }.map { order[$0] }.sorted() }
    }

    /// Spatial k-fold cross-validation (Brenning 2012): folds are the k clusters of k-means on the
    /// sample coordinates, so test samples lie in areas the model was not trained on.
    public static func spatialFolds(x: [Double], y: [Double], k: Int, generator: inout SeededGenerator) -> [[Int]] {
        let assignment = kMeans(x: x, y: y, k: k, generator: &generator)
        return (0..<k).map { f in assignment.indices.filter { assignment[$0] == f } }
    }

    /// Lloyd's k-means with k-means++ seeding (Arthur & Vassilvitskii 2007) on 2-D points; returns
    /// the cluster of each point. Stops when no assignment changes (at most 300 rounds).
    public static func kMeans(x: [Double], y: [Double], k: Int, generator: inout SeededGenerator) -> [Int] {
        let n = x.count
        precondition(n >= k && k >= 1, "k-means needs at least k points")
        var cx: [Double] = [], cy: [Double] = []
        let first = Int(generator.nextUnit() * Double(n))
        cx.append(x[first]); cy.append(y[first])
        var d2 = (0..<n).map { (x[$0] - cx[0]) * (x[$0] - cx[0]) + (y[$0] - cy[0]) * (y[$0] - cy[0]) }
        while cx.count < k {
            let total = d2.reduce(0, +)
            var u = generator.nextUnit() * total, pick = n - 1
            for i in 0..<n { u -= d2[i]; if u <= 0 { pick = i; break } }
            cx.append(x[pick]); cy.append(y[pick])
            for i in 0..<n { d2[i] = min(d2[i], (x[i] - x[pick]) * (x[i] - x[pick]) + (y[i] - y[pick]) * (y[i] - y[pick])) }
        }
        var assignment = [Int](repeating: -1, count: n)
        for _ in 0..<300 {
            var changed = false
            for i in 0..<n {
                var best = 0, bestD = Double.infinity
                for c in 0..<k {
                    let d = (x[i] - cx[c]) * (x[i] - cx[c]) + (y[i] - cy[c]) * (y[i] - cy[c])
                    if d < bestD { bestD = d; best = c }
                }
                if assignment[i] != best { assignment[i] = best; changed = true }
            }
            if !changed { break }
            for c in 0..<k {
                let members = (0..<n).filter { assignment[$0] == c }
                guard !members.isEmpty else { continue }
                cx[c] = members.map { x[$0] }.reduce(0, +) / Double(members.count)
                cy[c] = members.map { y[$0] }.reduce(0, +) / Double(members.count)
            }
        }
        return assignment
    }
}

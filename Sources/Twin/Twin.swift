import Foundation
import PublishedNumbers
import StudyCore
import SummaryStatistics
import Yams
import GeoRaster
import Randomness
import SlopePhysics
import Terrain

/// A synthetic twin of Study A's basin with a known ground truth (issue F8): Study A's data are not
/// public, so a generated basin with its proportions lets anyone run the harness with no download,
/// and lets tests check that the methods recover what is really there.
///
/// Recipe (all from one seed):
/// 1. terrain — fractal value noise (8 octaves) with a regional tilt, filled; fluvial incision along
///    the D8 network (depth ∝ (log A / log A_max)², 3 passes), filled again; elevations mapped onto
///    Study A's published elevation range with a power curve that puts the mean at its published mean;
/// 2. soil — Z-model depth (0.1–3 m, as the study configs); cohesion and friction angle as
///    spatially correlated fields (correlation length ≈ 8 cells) around Study A's Table 2 means with
///    `heterogeneityCOV`; hydraulic parameters at their means;
/// 3. storm — the reconstructed 21 July 2013 storm, evaluated at 9 h; PRL-STIM at the means;
/// 4. truth — the infinite-slope FOS (profile c) with each cell's own c′ and φ′; unstable = FOS < 1;
/// 5. inventory — `landslides` cells drawn among the unstable ones, each moved by up to 1.5 cells
///    (location noise), and 1,360 random non-landslide points (as Loja's evaluation set).
public enum Twin {
    public struct Options: Sendable {
        public var seed: UInt64 = 20240805
        public var rows = 538
        public var columns = 640
        public var cellSizeMeters = Twin.studyA.basin.cellSizeM
        public var landslides = Twin.studyA.basin.landslidesInferred
        public var randomPoints = 1360
        public var heterogeneityCOV = 0.2
        public var hours = 9.0
        /// What the study config gets wrong on purpose (nil: nothing), so that the twin no longer favours
        /// the PPM by construction (issue G3).
        public var misspecification: Misspecification?
        /// Landslides as polygons (scarps: an ellipse of 1.2–3 by 0.7–1.5 cells around each landslide,
        /// in landslides.geojson) instead of points (issue G6).
        public var polygons = false
        /// Soil zones (issue G6): 0 = one soil everywhere; K ≥ 2 = a categorical geology raster of K
        /// classes (geology.tif, codes 1…K) whose classes have their own true strength and conductivity
        /// (``zoneFactors(_:)``), written into twin.yaml under `zones`, with geology a factor of every model.
        public var zones = 0
        public init() {}
    }

    /// Study B's 13 terrain factors (`FactorLayers.studyBTerrainFactors`; a test keeps the two equal), which
    /// a zoned twin's `factors.networks` lists with geology.
    static let networkFactors = ["elevation", "slope", "aspect", "plan_curvature", "profile_curvature", "tpi", "twi", "spi",
                                 "relief", "incision", "elevation_cov", "roughness", "stream_distance"]

    /// Zone k's true parameters as multiples of Study A's means: cohesion, friction angle and k_s.
    /// Spread evenly from weak, slowly draining soils to strong, fast-draining ones (k = 1 … K, t = 0 … 1):
    /// cohesion × (1 ± 0.4), friction angle × (1 ± 0.15) and k_s × 10^(t − 1), so that the zones differ in
    /// both strength and runoff (k_s / 10, below the storm's peak, makes runoff). Each factor is rounded
    /// so that the zone's mean has three significant digits (the truth uses the means twin.yaml prints).
    public static func zoneFactors(_ zones: Int) -> [(cohesion: Double, friction: Double, conductivity: Double)] {
        func rounded(_ p: SoilParameter, _ f: Double) -> Double { Double(String(format: "%.3g", mean(p) * f))! / mean(p) }
        return (0..<zones).map { k in
            let t = zones == 1 ? 0.5 : Double(k) / Double(zones - 1)
            let (cohesionSpread, frictionSpread) = (0.4, 0.15)
            return (cohesion: rounded(.cohesion, 1 + cohesionSpread * (2 * t - 1)),
                    friction: rounded(.frictionAngle, 1 + frictionSpread * (2 * t - 1)),
                    conductivity: rounded(.saturatedConductivity, pow(10, t - 1)))
        }
    }

    /// A deliberately wrong twin: the truth is made as always, but the PPM, or the inventory, sees
    /// something else.
    public enum Misspecification: String, CaseIterable, Codable, Sendable {
        /// The config's storm is 40 % of the storm that made the truth (the PPM under-predicts wetting).
        case storm
        /// The config's strength means are off: cohesion × 1.5, friction angle × 0.75 (the PPM ranks
        /// steep, thin soils too high and cohesive ones too low).
        case parameters
        /// The inventory is biased toward valleys (roads, rivers): its landslides are drawn among the
        /// unstable cells of the 25 % with the largest catchment, and one in three is a mapped valley
        /// failure where the truth is stable.
        case inventoryBias = "inventory-bias"

        /// What the config's header says about it.
        var statement: String {
            switch self {
            case .storm: "MIS-SPECIFIED: storm.csv is 40 % of the storm that made the truth."
            case .parameters: "MIS-SPECIFIED: the cohesion mean is × 1.5 and the friction-angle mean × 0.75 of the truth's."
            case .inventoryBias: "MIS-SPECIFIED: the inventory favours valleys (largest catchments); one in three landslides is where the truth is stable."
            }
        }
        static let stormFactor = 0.4
        static let cohesionFactor = 1.5
        static let frictionFactor = 0.75
    }

    /// The twin's random streams, each split off the seed by its label (``SeededGenerator/split(_:)``).
    enum Stream: UInt64 {
        /// The coarse block's initial noise (the stream-power model's starting surface).
        case uplift = 1
        /// The fine value noise added after upsampling.
        case hillslopeTexture
        /// The cohesion and friction-angle fields.
        case cohesion, friction
        /// Which unstable cells become landslides, their location noise, and the random points.
        case inventory
        /// The scarp polygons' sizes and orientations (`polygons`).
        case scarps
        /// The geology field that the zones are cut from (`zones`).
        case geology
    }

    public struct Summary: Codable, Sendable {
        public var seed: UInt64
        public var rows: Int
        public var columns: Int
        public var cellSizeM: Double
        public var areaKm2: Double
        public var elevationMinM: Double
        public var elevationMaxM: Double
        public var elevationMeanM: Double
        public var slopeMeanDeg: Double
        public var slopePercentilesDeg: [String: Double]
        /// Share of cells per 10° slope class, 0–10°, 10–20°, … (percent).
        public var slopeHistogramPercent: [Double]
        public var cohesionMeanKPa: Double
        public var cohesionCOV: Double
        public var frictionMeanDeg: Double
        public var frictionCOV: Double
        public var rainMm: Double
        public var unstableCells: Int
        public var unstablePercent: Double
        public var landslides: Int
        public var randomPoints: Int
        /// What the config gets wrong on purpose, if anything.
        public var misspecification: Misspecification?
        /// Landslides placed where the truth is stable (the inventory-bias twin's mapping errors).
        public var landslidesOnStableCells: Int
        /// Soil zones (0: none).
        public var zones: Int
        public var seconds: Double
        public var files: [String]
    }

    /// Study A's published basin and Table 2 (``PublishedNumbers``): the twin's proportions and true means.
    static let studyA = PublishedNumbers.shipped.studyA
    /// A Table 2 mean by its config key.
    static func mean(_ parameter: SoilParameter) -> Double { studyA.table2Means[parameter.rawValue]! }

    /// The storm of `Experiments/studies/storm_2013-07-21_reconstructed.csv`, carried here so that the
    /// twin needs no file (a test checks the two stay identical).
    public static let stormCSV = """
        elapsed_h,intensity_mm_per_h
        1,1.1589
        2,2.3178
        3,3.4767
        4,4.6356
        5,5.7944
        6,6.9533
        7,8.1122
        8,9.2711
        9,10.43
        10,10.43
        11,9.2711
        12,8.1122
        13,6.9533
        14,5.7944
        15,4.6356
        16,3.4767
        17,2.3178
        18,1.1589

        """

    static let crsCode = 32649   // WGS 84 / UTM 49N: a plausible projected CRS for a basin in China
    static let origin = (x: 600_000.0, y: 3_300_000.0)

    /// A smooth random field with mean 0 and SD 1 (value noise, 3 octaves from `baseCells`).
    static func correlatedField(rows: Int, cols: Int, seed: UInt64, baseCells: Double) -> [Double] {
        let g = SyntheticSurface.fractal(rows: rows, cols: cols, cellSize: 1, seed: seed, baseCells: baseCells, octaves: 3,
                                         persistence: 0.5, minElevation: 0, maxElevation: 1, tilt: 0)
        let v = g.values.map(Double.init)
        let m = v.reduce(0, +) / Double(v.count)
        let sd = SummaryStatistics.Summary.populationStandardDeviation(v)
        return v.map { ($0 - m) / max(sd, 1e-12) }
    }

    /// Terrain carved by rivers: the implicit stream-power model of Braun & Willett (2013, "FastScape"),
    /// ∂z/∂t = U − K A^m S (m = 0.5), on a half-resolution grid from a slightly noisy, uplifting block
    /// whose edges are base level; each step fills pits, routes D8 and solves z_i = (z_i + F z_r)/(1 + F),
    /// F = K Δt A^m / L, from the outlets upstream. Then bilinear upsampling, fine value noise (the
    /// hillslope texture the coarse model lacks), filling, and elevations mapped onto Study A's published
    /// range with a power curve that puts the mean at its published mean (``studyA``'s basin).
    static func terrain(_ o: Options, crs: CRS) throws -> Grid<Float> {
        let transform = GeoTransform(originX: origin.x, pixelWidth: o.cellSizeMeters, originY: origin.y,
                                     pixelHeight: -o.cellSizeMeters)
        let cr = (o.rows + 1) / 2, cc = (o.columns + 1) / 2
        var g = o.stream(.uplift)
        var coarse = Grid<Float>(rows: cr, cols: cc, geoTransform: .identity, crs: nil, nodata: nil,
                                 values: (0..<(cr * cc)).map { _ in Float(1e-3 * g.nextUnit()) })
        let boundary = (0..<(cr * cc)).map { i in i / cc == 0 || i / cc == cr - 1 || i % cc == 0 || i % cc == cc - 1 }
        let uplift = 1e-3, k = 0.05, m = 0.5, dt = 1.0, diffusion = 0.2
        for _ in 0..<400 {
            for i in 0..<coarse.count where !boundary[i] { coarse.values[i] += Float(uplift * dt) }
            PriorityFlood.fillInPlace(&coarse)
            let routing = try FlowRouting(FlowDirections(coarse))
            let area = routing.accumulationCells()
            for idx in routing.order.reversed() {
                let i = Int(idx)
                guard !boundary[i], let r = routing.directions.receiver(of: i) else { continue }
                let dist = (i / cc != r / cc && i % cc != r % cc) ? 2.0.squareRoot() : 1.0
                let f = k * dt * pow(Double(area.values[i]), m) / dist
                coarse.values[i] = Float((Double(coarse.values[i]) + f * Double(coarse.values[r])) / (1 + f))
            }
            // Hillslope diffusion, ∂z/∂t = D ∇²z (explicit, stable for D·Δt ≤ 1/4): rounded ridges.
            let z0 = coarse.values
            for i in 0..<coarse.count where !boundary[i] {
                let lap = Double(z0[i - 1] + z0[i + 1] + z0[i - cc] + z0[i + cc]) - 4 * Double(z0[i])
                coarse.values[i] += Float(diffusion * dt * lap)
            }
        }
        let noise = SyntheticSurface.fractal(rows: o.rows, cols: o.columns, cellSize: o.cellSizeMeters, seed: o.stream(.hillslopeTexture).seed,
                                             baseCells: 16, octaves: 4, persistence: 0.5, minElevation: 0, maxElevation: 1,
                                             tilt: 0, origin: (origin.x, origin.y), crs: crs)
        let relief = Double(coarse.values.max()!)
        var values = [Float](repeating: 0, count: o.rows * o.columns)
        for r in 0..<o.rows {
            let fy = min(Double(cr - 1), Double(r) / 2), y0 = min(cr - 2, Int(fy)), ty = fy - Double(y0)
            for c in 0..<o.columns {
                let fx = min(Double(cc - 1), Double(c) / 2), x0 = min(cc - 2, Int(fx)), tx = fx - Double(x0)
                let v00 = Double(coarse.values[y0 * cc + x0]), v01 = Double(coarse.values[y0 * cc + x0 + 1])
                let v10 = Double(coarse.values[(y0 + 1) * cc + x0]), v11 = Double(coarse.values[(y0 + 1) * cc + x0 + 1])
                let z = (v00 * (1 - tx) + v01 * tx) * (1 - ty) + (v10 * (1 - tx) + v11 * tx) * ty
                values[r * o.columns + c] = Float(z + 0.03 * relief * Double(noise.values[r * o.columns + c]))
            }
        }
        var z = Grid(rows: o.rows, cols: o.columns, geoTransform: transform, crs: crs, nodata: nil, values: values)
        PriorityFlood.fillInPlace(&z)
        // Map onto [min, max]; the exponent γ puts the mean of u^γ at (mean − min) / (max − min).
        let lo = Double(z.values.min()!), hi = Double(z.values.max()!)
        let u = z.values.map { (Double($0) - lo) / (hi - lo) }
        let basin = studyA.basin
        let (zMin, zMax) = (basin.elevationMinM, basin.elevationMaxM)
        let target = (basin.elevationMeanM - zMin) / (zMax - zMin)
        var a = 0.05, b = 20.0
        for _ in 0..<60 {
            let gmid = (a * b).squareRoot()
            let mean = u.reduce(0) { $0 + pow($1, gmid) } / Double(u.count)
            if mean > target { a = gmid } else { b = gmid }
        }
        let gamma = (a * b).squareRoot()
        z.values = u.map { Float(zMin + (zMax - zMin) * pow($0, gamma)) }
        return z
    }

    /// Mean over a (2r + 1)² window, clipped at the edges.
    static func boxBlur(_ v: [Double], rows: Int, cols: Int, radius r: Int) -> [Double] {
        var tmp = [Double](repeating: 0, count: v.count), out = tmp
        for row in 0..<rows { for c in 0..<cols {
            var s = 0.0, k = 0
            for cc in max(0, c - r)...min(cols - 1, c + r) { s += v[row * cols + cc]; k += 1 }
            tmp[row * cols + c] = s / Double(k)
        } }
        for row in 0..<rows { for c in 0..<cols {
            var s = 0.0, k = 0
            for rr in max(0, row - r)...min(rows - 1, row + r) { s += tmp[rr * cols + c]; k += 1 }
            out[row * cols + c] = s / Double(k)
        } }
        return out
    }

    /// Writes the twin into `directory` (created if missing): GeoTIFFs, CSVs, the storm and `twin.yaml`.
    public static func generate(_ o: Options, directory: String, progress: (String) -> Void = { _ in }) throws -> Summary {
        let start = Date()
        let crs = try CRS(epsg: crsCode)
        progress("terrain \(o.columns) × \(o.rows) at \(o.cellSizeMeters) m")
        let dem = try terrain(o, crs: crs)
        let n = dem.count
        let slope = dem.apply(HornSlope(cellWidth: o.cellSizeMeters, cellHeight: o.cellSizeMeters), edges: .extrapolate)
        let depth = try SoilDepthZModel.depth(dem, minMeters: studyA.basin.soilDepthMinM, maxMeters: studyA.basin.soilDepthMaxM)
        progress("soil strength fields (COV \(o.heterogeneityCOV))")
        // Zones: a coarse smooth field cut at its quantiles into K classes of equal area (codes 1…K).
        var zoneOfCell = [UInt16](repeating: 0, count: n)
        let factors = zoneFactors(o.zones)
        if o.zones >= 2 {
            progress("geology: \(o.zones) zones")
            let field = correlatedField(rows: o.rows, cols: o.columns, seed: o.stream(.geology).seed, baseCells: 96)
            let sorted = field.sorted()
            let cuts = (1..<o.zones).map { sorted[$0 * n / o.zones] }
            zoneOfCell = field.map { v in UInt16(cuts.filter { v >= $0 }.count) }
        }
        func factor(_ i: Int) -> (cohesion: Double, friction: Double, conductivity: Double) {
            o.zones >= 2 ? factors[Int(zoneOfCell[i])] : (1, 1, 1)
        }
        let c1 = correlatedField(rows: o.rows, cols: o.columns, seed: o.stream(.cohesion).seed, baseCells: 16)
        let c2 = correlatedField(rows: o.rows, cols: o.columns, seed: o.stream(.friction).seed, baseCells: 16)
        let cohesion = c1.indices.map { max(0, mean(.cohesion) * factor($0).cohesion * (1 + o.heterogeneityCOV * c1[$0])) }
        let friction = c2.indices.map { min(60, max(1, mean(.frictionAngle) * factor($0).friction * (1 + o.heterogeneityCOV * c2[$0]))) }
        progress("storm: PRL-STIM to \(o.hours) h")
        let hyetograph = try Hyetograph.read(csvText: stormCSV, source: "reconstructed storm")
        let soils = (o.zones >= 2 ? factors : [(1.0, 1.0, 1.0)]).map { f in
            SoilHydraulics(porosity: mean(.porosity), finalSaturation: mean(.finalSaturation),
                           initialSaturation: mean(.initialSaturation),
                           saturatedConductivityMetersPerSecond: mean(.saturatedConductivity) * f.2)
        }
        let routing = try FlowRouting(FlowDirections(PriorityFlood.fill(dem)))
        let storm = PRLSTIM.run(routing: routing, slopeDegrees: slope, soilDepthMeters: depth, soils: soils,
                                zoneOfCell: o.zones >= 2 ? zoneOfCell : nil, steps: hyetograph.steps(until: o.hours))
        progress("truth: factor of safety with each cell's own strength")
        var fos = [Float](repeating: terrainNodata, count: n)
        var unstable = [UInt8](repeating: 0, count: n)
        for i in 0..<n where slope.isValid(at: i) && slope.values[i] > 0 && storm.wettingFrontMeters[i] > 0 {
            let f = InfiniteSlope.factorOfSafety(cohesionKPa: cohesion[i], frictionAngleDegrees: friction[i],
                                                 unitWeightKNPerCubicMeter: mean(.unitWeight), wettingFrontMeters: storm.wettingFrontMeters[i],
                                                 soilDepthMeters: Double(depth.values[i]),
                                                 slopeRadians: Double(slope.values[i]) * .pi / 180, profile: .c)
            fos[i] = Float(min(f, 100))
            if f < 1 { unstable[i] = 1 }
        }
        let unstableCells = (0..<n).filter { unstable[$0] == 1 }
        guard unstableCells.count >= o.landslides else {
            throw TwinError.tooFewUnstable(found: unstableCells.count, needed: o.landslides)
        }
        progress("inventory: \(o.landslides) landslides among \(unstableCells.count) unstable cells")
        var g = o.stream(.inventory)
        var chosen = Set<Int>()
        var onStable = 0
        if o.misspecification == .inventoryBias {
            // Valley cells: the quarter of the grid with the largest catchments.
            let area = routing.accumulationCells().values
            let threshold = area.sorted()[area.count * 3 / 4]
            let valleyUnstable = unstableCells.filter { area[$0] >= threshold }
            let valleyStable = (0..<n).filter { area[$0] >= threshold && unstable[$0] == 0 && slope.isValid(at: $0) }
            let mapped = o.landslides / 3
            while chosen.count < mapped && !valleyStable.isEmpty { chosen.insert(valleyStable[Int(g.nextUnit() * Double(valleyStable.count))]) }
            onStable = chosen.count
            let pool = valleyUnstable.count >= o.landslides - onStable ? valleyUnstable : unstableCells
            while chosen.count < o.landslides { chosen.insert(pool[Int(g.nextUnit() * Double(pool.count))]) }
        } else {
            while chosen.count < o.landslides { chosen.insert(unstableCells[Int(g.nextUnit() * Double(unstableCells.count))]) }
        }
        let t = dem.geoTransform
        func jittered(_ cell: Int) -> (Double, Double) {
            let r = Double(cell / o.columns), c = Double(cell % o.columns)
            let rr = min(Double(o.rows) - 0.01, max(0, r + 0.5 + (2 * g.nextUnit() - 1) * 1.5))
            let cc = min(Double(o.columns) - 0.01, max(0, c + 0.5 + (2 * g.nextUnit() - 1) * 1.5))
            return (t.originX + cc * t.pixelWidth, t.originY + rr * t.pixelHeight)
        }
        let landslidePoints = chosen.sorted().map(jittered)
        var randoms: [Int] = []
        var used = chosen
        while randoms.count < o.randomPoints {
            let c = Int(g.nextUnit() * Double(n))
            if !used.contains(c) { used.insert(c); randoms.append(c) }
        }
        // All or nothing: the files go to a staging folder beside `directory` and move in only when every
        // one is written (a full disk or a read-only target leaves no empty or partial folder).
        let output = try OutputDirectory(directory)
        let provenance = Provenance.current(configDigest: "twin", seed: o.seed)
        func path(_ name: String) -> String { output.stagedPath(name) }
        func write(_ grid: Grid<Float>, _ name: String, _ description: String) throws {
            try output.writeGeoTIFF(grid, name: name, provenance: provenance, description: description)
        }
        try write(dem, "dem.tif", "elevation (m), synthetic twin")
        try write(Grid(like: dem, nodata: terrainNodata, values: fos), "truth_fos.tif", "true factor of safety at \(o.hours) h")
        try output.writeGeoTIFF(Grid(like: dem, nodata: 255, values: unstable), name: "truth_unstable.tif",
                                provenance: provenance, description: "true instability (1: FOS < 1)")
        try write(Grid(like: dem, nodata: terrainNodata, values: cohesion.map { Float($0) }), "truth_cohesion.tif", "cohesion (kPa)")
        try write(Grid(like: dem, nodata: terrainNodata, values: friction.map { Float($0) }), "truth_friction.tif", "friction angle (deg)")
        if o.zones >= 2 {
            try output.writeGeoTIFF(Grid(like: dem, nodata: 255, values: zoneOfCell.map { UInt8($0 + 1) }), name: "geology.tif",
                                    provenance: provenance, description: "geology class (1…\(o.zones)), synthetic")
        }
        var csv = "x,y\n"
        for (x, y) in landslidePoints { csv += String(format: "%.2f,%.2f\n", x, y) }
        try AtomicFile.write(Data(csv.utf8), to: path("landslides.csv"))
        if o.polygons {
            try AtomicFile.write(Data(scarps(landslidePoints, cellSize: o.cellSizeMeters, generator: o.stream(.scarps)).utf8),
                                 to: path("landslides.geojson"))
        }
        var ev = "x,y,lslpts\n"
        for (x, y) in landslidePoints { ev += String(format: "%.2f,%.2f,1\n", x, y) }
        for c in randoms {
            let p = t.cellCenter(row: c / o.columns, col: c % o.columns)
            ev += String(format: "%.2f,%.2f,0\n", p.x, p.y)
        }
        try AtomicFile.write(Data(ev.utf8), to: path("evaluation_points.csv"))
        try AtomicFile.write(Data(configStorm(o).utf8), to: path("storm.csv"))
        try AtomicFile.write(Data(try config(o).utf8), to: path("twin.yaml"))
        try output.commit()
        // Statistics.
        let valid = (0..<n).filter { slope.isValid(at: $0) }
        let slopes = valid.map { Double(slope.values[$0]) }.sorted()
        func pct(_ q: Double) -> Double { SummaryStatistics.Summary.lowerQuantile(sorted: slopes, q) }
        var hist = [Double](repeating: 0, count: 7)
        for s in slopes { hist[min(6, Int(s / 10))] += 100 / Double(slopes.count) }
        func moments(_ v: [Double]) -> (Double, Double) {
            let m = v.reduce(0, +) / Double(v.count)
            return (m, SummaryStatistics.Summary.populationStandardDeviation(v) / m)
        }
        let (cm, ccov) = moments(cohesion), (fm, fcov) = moments(friction)
        let elevations = dem.values.map(Double.init)
        var files = ["twin.yaml", "dem.tif", "landslides.csv"]
        if o.polygons { files.append("landslides.geojson") }
        if o.zones >= 2 { files.append("geology.tif") }
        files += ["evaluation_points.csv", "storm.csv", "truth_fos.tif", "truth_unstable.tif", "truth_cohesion.tif", "truth_friction.tif"]
        return Summary(seed: o.seed, rows: o.rows, columns: o.columns, cellSizeM: o.cellSizeMeters,
                       areaKm2: Double(n) * o.cellSizeMeters * o.cellSizeMeters / 1e6,
                       elevationMinM: elevations.min()!, elevationMaxM: elevations.max()!,
                       elevationMeanM: elevations.reduce(0, +) / Double(n),
                       slopeMeanDeg: slopes.reduce(0, +) / Double(slopes.count),
                       slopePercentilesDeg: ["p10": pct(0.1), "p50": pct(0.5), "p90": pct(0.9), "max": slopes.last!],
                       slopeHistogramPercent: hist, cohesionMeanKPa: cm, cohesionCOV: ccov, frictionMeanDeg: fm, frictionCOV: fcov,
                       rainMm: hyetograph.totalMillimeters(until: o.hours), unstableCells: unstableCells.count,
                       unstablePercent: 100 * Double(unstableCells.count) / Double(n), landslides: landslidePoints.count,
                       randomPoints: randoms.count, misspecification: o.misspecification, landslidesOnStableCells: onStable,
                       zones: o.zones, seconds: Date().timeIntervalSince(start), files: files)
    }

    /// Scarp polygons around the landslides, as GeoJSON in the twin's CRS: around each, an ellipse of
    /// semi-axes 1.2–3 and 0.7–1.5 cells, turned at random, with 16 vertices.
    static func scarps(_ centres: [(Double, Double)], cellSize: Double, generator: SeededGenerator) -> String {
        var g = generator
        let features = centres.enumerated().map { k, centre -> String in
            let a = (1.2 + 1.8 * g.nextUnit()) * cellSize, b = (0.7 + 0.8 * g.nextUnit()) * cellSize
            let theta = 2 * Double.pi * g.nextUnit()
            var ring: [String] = []
            for i in 0...16 {
                let t = 2 * Double.pi * Double(i % 16) / 16
                let (u, v) = (a * cos(t), b * sin(t))
                ring.append(String(format: "[%.2f, %.2f]", centre.0 + u * cos(theta) - v * sin(theta), centre.1 + u * sin(theta) + v * cos(theta)))
            }
            return #"{"type": "Feature", "properties": {"id": \#(k + 1)}, "geometry": {"type": "Polygon", "coordinates": [[\#(ring.joined(separator: ", "))]]}}"#
        }
        return #"{"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::\#(crsCode)"}},"#
            + "\n\"features\": [\n" + features.joined(separator: ",\n") + "\n]}\n"
    }

    /// The study config of a twin: Study A's parameter means, the Z-model, the storm at 9 h, as YAML
    /// written by Yams from the schema's keys (comments first, then the mapping in the schema's order).
    static func config(_ o: Options) throws -> String {
        func map(_ pairs: [(String, Node)]) -> Node { .mapping(Node.Mapping(pairs.map { (Node($0.0), $0.1) })) }
        func scalar(_ v: Double) -> Node {
            let shortest = Double(String(format: "%.6g", v))!  // a factor times a mean: no binary noise in the file
            return Node(shortest == shortest.rounded() && abs(shortest) < 1e6 ? String(format: "%.1f", shortest) : "\(shortest)", Tag(.float))
        }
        func points(label: String?) -> Node {
            map([("path", Node(label == nil ? "landslides.csv" : "evaluation_points.csv")), ("x_column", Node("x")),
                 ("y_column", Node("y")), ("crs", Node("EPSG:\(crsCode)"))]
                + (label.map { [("label_column", Node($0))] } ?? []) + [("off_grid", Node("drop"))])
        }
        // The uncertainty of the "config" scenario is exactly the planted heterogeneity: c′ and φ′ normal
        // with the twin's COV, everything else at Study A's means (COV 0 = fixed).
        func givenMean(_ p: SoilParameter, zoneFactor: Double = 1) -> Double {
            guard o.misspecification == .parameters else { return mean(p) * zoneFactor }
            return mean(p) * zoneFactor
                * (p == .cohesion ? Misspecification.cohesionFactor : p == .frictionAngle ? Misspecification.frictionFactor : 1)
        }
        let parameters = SoilParameter.allCases.map { p -> (String, Node) in
            let random = p == .cohesion || p == .frictionAngle
            func given() -> Double { givenMean(p) }
            let spec = (p == .soilDepth ? [] : [("mean", scalar(given()))])
                + [("cov", scalar(random ? o.heterogeneityCOV : 0)), ("distribution", Node("normal"))]
            return (p.rawValue, map(spec))
        }
        let document = map([
            ("name", Node(o.misspecification.map { "twin-\($0.rawValue)" } ?? "twin")),
            ("title", Node("Synthetic twin of Study A's basin (seed \(o.seed))"
                           + (o.misspecification.map { ", mis-specified: \($0.rawValue)" } ?? ""))),
            ("data_root", Node(".")), ("dem", Node("dem.tif")),
            ("layers", map([("truth_unstable", Node("truth_unstable.tif"))]
                           + (o.zones >= 2 ? [("geology", map([("path", Node("geology.tif")), ("type", Node("categorical"))]))] : []))),
            ("inventory", o.polygons
                ? map([("path", Node("landslides.geojson")), ("polygon_cells", Node("all")), ("off_grid", Node("drop"))])
                : points(label: nil)),
            ("evaluation_points", points(label: "lslpts")),
            ("soil_depth", map([("model", Node("z-model")), ("min_m", scalar(studyA.basin.soilDepthMinM)),
                                ("max_m", scalar(studyA.basin.soilDepthMaxM))])),
            ("parameters", map(parameters)), ("correlations", .sequence(Node.Sequence([]))),
            ("rainfall", map([("hyetograph", Node("storm.csv")), ("evaluate_at_h", Node(formatHours(o.hours), Tag(.float)))])),
            ("seed", Node(String(o.seed), Tag(.int))),
        ] + (o.zones >= 2 ? [
            // Each zone's true means of c′, φ′ and k_s (the rest as `parameters`).
            ("zones", map([("layer", Node("geology")), ("classes", map(zoneFactors(o.zones).enumerated().map { k, f in
                (String(k + 1), map([("cohesion_kPa", map([("mean", scalar(givenMean(.cohesion, zoneFactor: f.cohesion)))])),
                                     ("friction_angle_deg", map([("mean", scalar(givenMean(.frictionAngle, zoneFactor: f.friction)))])),
                                     ("ks_m_per_s", map([("mean", scalar(givenMean(.saturatedConductivity, zoneFactor: f.conductivity)))]))]))
            }))])),
            // Geology is a factor of every model, beside the studies' own sets.
            ("factors", map([("patch_cnn", .sequence(Node.Sequence((["slope", "aspect", "elevation", "d8", "soil_depth", "geology"]).map { Node($0) }))),
                             ("networks", .sequence(Node.Sequence((Self.networkFactors + ["geology"]).map { Node($0) }))),
                             ("glm", .sequence(Node.Sequence((["slope", "plan_curvature", "profile_curvature", "elevation",
                                                                "log10_catchment_area", "geology"]).map { Node($0) })))])),
        ] : []))
        let header = """
            # Synthetic twin of Study A's basin (\(studyA.citation)), generated by `landslide twin --seed \(o.seed)\(o.misspecification.map { " --misspecify \($0.rawValue)" } ?? "")`.
            # Known truth: truth_fos.tif and truth_unstable.tif (FOS < 1 at \(formatHours(o.hours)) h with each cell's own
            # cohesion and friction angle, truth_cohesion.tif and truth_friction.tif, COV \(o.heterogeneityCOV)).
            # The "config" scenario's uncertainty is the planted heterogeneity: c′ and φ′ normal with that COV,
            # everything else fixed at Study A's Table 2 means (COV 0).
            # The layer truth_unstable is the truth itself: experiments score their maps against it; it is no factor.

            """ + (o.misspecification.map { "# \($0.statement)\n" } ?? "")
        return header + (try Yams.serialize(node: document))
    }

    /// The storm the config gives: the true one, or a weaker one for the storm-mis-specified twin.
    static func configStorm(_ o: Options) -> String {
        guard o.misspecification == .storm else { return stormCSV }
        var lines = ["elapsed_h,intensity_mm_per_h"]
        for line in stormCSV.split(separator: "\n").dropFirst() {
            let parts = line.split(separator: ",")
            guard parts.count == 2, let v = Double(parts[1]) else { continue }
            lines.append("\(parts[0]),\(String(format: "%.4f", v * Misspecification.stormFactor))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func formatHours(_ h: Double) -> String { h == h.rounded() ? String(Int(h)) : String(h) }

    public enum TwinError: Error, CustomStringConvertible {
        case tooFewUnstable(found: Int, needed: Int)
        public var description: String {
            switch self {
            case let .tooFewUnstable(found, needed):
                "twin: only \(found) cells are unstable under the storm, fewer than the \(needed) landslides asked for; raise --heterogeneity-cov or lower --landslides"
            }
        }
    }
}

extension Twin.Options {
    /// The generator of one of the twin's streams.
    func stream(_ s: Twin.Stream) -> SeededGenerator { SeededGenerator(seed: seed).split(s.rawValue) }
}

public struct Rect: Sendable, Hashable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public var isEmpty: Bool { width == 0 || height == 0 }

    public func contains(x: Int, y: Int) -> Bool { x >= self.x && x < maxX && y >= self.y && y < maxY }

    public func intersection(_ other: Rect) -> Rect {
        let left = max(x, other.x)
        let top = max(y, other.y)
        return Rect(x: left, y: top, width: min(maxX, other.maxX) - left, height: min(maxY, other.maxY) - top)
    }

    /// The rectangle without `amount` cells on every side.
    public func inset(by amount: Int) -> Rect {
        Rect(x: x + amount, y: y + amount, width: width - 2 * amount, height: height - 2 * amount)
    }

    public enum Constraint: Sendable, Hashable {
        case length(Int)
        case percent(Int)
        /// Shares what the fixed constraints leave.
        case fill
    }

    /// Splits into rows (top to bottom).
    public func rows(_ constraints: [Constraint]) -> [Rect] {
        sizes(constraints, total: height).map { Rect(x: x, y: y + $0.offset, width: width, height: $0.size) }
    }

    /// Splits into columns (left to right).
    public func columns(_ constraints: [Constraint]) -> [Rect] {
        sizes(constraints, total: width).map { Rect(x: x + $0.offset, y: y, width: $0.size, height: height) }
    }

    private func sizes(_ constraints: [Constraint], total: Int) -> [(offset: Int, size: Int)] {
        var fixed = constraints.map { constraint -> Int? in
            switch constraint {
            case .length(let length): return length
            case .percent(let percent): return total * percent / 100
            case .fill: return nil
            }
        }
        let fills = fixed.filter { $0 == nil }.count
        let left = max(0, total - fixed.compactMap { $0 }.reduce(0, +))
        var handedOut = 0
        for index in fixed.indices where fixed[index] == nil {
            handedOut += 1
            // The last fill takes the remainder, so the parts always add up to the whole.
            fixed[index] = handedOut == fills ? left - (left / fills) * (fills - 1) : left / fills
        }
        var offset = 0
        return fixed.map { size in
            let clamped = min(size ?? 0, max(0, total - offset))
            defer { offset += clamped }
            return (offset, clamped)
        }
    }
}

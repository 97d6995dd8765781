/// Anything the heap can order: `precedes` is true when the first must come out before the second.
protocol Ordered { static func precedes(_ a: Self, _ b: Self) -> Bool }

/// A binary min-heap: the simulation's queue of things to do, earliest first.
struct Heap<Element: Ordered>: Sendable where Element: Sendable {
    private var items: [Element] = []
    var peek: Element? { items.first }

    mutating func push(_ item: Element) {
        items.append(item)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Element.precedes(items[child], items[parent]) else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> Element? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let top = items.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var first = parent
            if left < items.count, Element.precedes(items[left], items[first]) { first = left }
            if right < items.count, Element.precedes(items[right], items[first]) { first = right }
            guard first != parent else { return top }
            items.swapAt(parent, first)
            parent = first
        }
    }
}

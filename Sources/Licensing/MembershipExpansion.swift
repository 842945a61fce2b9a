import TenantModel

/// The effective user members of groups: direct members only, or with `nested` also the members of member groups
/// through any depth.
///
/// Groups are numbered once and nesting is kept as lists of group numbers, so an expansion walks each reachable
/// group once, in breadth-first order, and a cycle of nested groups cannot loop. Cycles are found once, with Tarjan's
/// strongly-connected-components algorithm over the whole group graph, and listed in `cycles`.
public struct MembershipExpansion: Sendable {
    /// The groups by number; a group id listed twice keeps the later group.
    private let groups: [TenantGroup]
    private let indexById: [String: Int]
    /// The numbers of each group's member groups that are in the tenant, in member order.
    private let childIndexes: [[Int]]
    private let nested: Bool
    /// Groups that contain themselves through nesting, each as its sorted group ids, sorted by first id; empty
    /// unless `nested`.
    public let cycles: [[String]]

    public init(groups: [TenantGroup], nested: Bool) {
        var byId: [String: Int] = [:]
        byId.reserveCapacity(groups.count)
        // By index, here and below: a loop over the groups themselves copies each one (ten fields to retain and
        // release), which for 10,000 groups cost as much as the rest of the numbering.
        for index in groups.indices where byId[groups[index].id] == nil { byId[groups[index].id] = index }
        // Ids are unique but for a caller's mistake: then the groups are numbered anew, and otherwise shared as given.
        var numbered = groups
        if byId.count != groups.count {
            numbered = []
            byId = [:]
            for group in groups {
                if let existing = byId[group.id] {
                    numbered[existing] = group
                } else {
                    byId[group.id] = numbered.count
                    numbered.append(group)
                }
            }
        }
        self.groups = numbered
        self.indexById = byId
        self.childIndexes = numbered.indices.map { index in
            numbered[index].memberGroupIds.isEmpty ? [] : numbered[index].memberGroupIds.compactMap { byId[$0] }
        }
        self.nested = nested
        self.cycles = nested ? Self.findCycles(groups: numbered, children: childIndexes) : []
    }

    /// Whether the tenant has this group.
    public func contains(groupId: String) -> Bool { indexById[groupId] != nil }

    /// The group's effective user members, each once, in the order first reached (direct members first).
    public func userIds(inGroup groupId: String) -> [String] {
        guard let root = indexById[groupId] else { return [] }
        var seenUsers = Set<String>(minimumCapacity: groups[root].memberUserIds.count)
        var users: [String] = []
        users.reserveCapacity(groups[root].memberUserIds.count)
        for index in reachableGroups(from: root) {
            for userId in groups[index].memberUserIds where seenUsers.insert(userId).inserted { users.append(userId) }
        }
        return users
    }

    // MARK: - By number, for the evaluation

    /// The number of the group with this id.
    func index(ofGroup groupId: String) -> Int? { indexById[groupId] }

    /// The group with this number.
    func group(at index: Int) -> TenantGroup { groups[index] }

    /// The group itself and, with `nested`, every group it contains through any depth, each once, breadth first.
    func reachableGroups(from root: Int) -> [Int] {
        guard nested, !childIndexes[root].isEmpty else { return [root] }
        var visited: Set<Int> = [root]
        var order = [root]
        var next = 0
        while next < order.count {
            let index = order[next]
            next += 1
            for child in childIndexes[index] where visited.insert(child).inserted { order.append(child) }
        }
        return order
    }

    /// Strongly connected components with more than one group, or a group that is its own member (iterative, so
    /// deep nesting cannot exhaust the stack).
    private static func findCycles(groups: [TenantGroup], children: [[Int]]) -> [[String]] {
        let unvisited = -1
        var order = [Int](repeating: unvisited, count: groups.count)
        var lowLink = [Int](repeating: 0, count: groups.count)
        var onStack = [Bool](repeating: false, count: groups.count)
        var stack: [Int] = []
        var counter = 0
        var cycles: [[String]] = []

        // Each frame: a group and how many of its member groups have been looked at.
        var frames: [(group: Int, next: Int)] = []
        for start in groups.indices where order[start] == unvisited {
            frames.append((start, 0))
            order[start] = counter; lowLink[start] = counter; counter += 1
            stack.append(start); onStack[start] = true
            while let frame = frames.last {
                let members = children[frame.group]
                if frame.next < members.count {
                    frames[frames.count - 1].next += 1
                    let child = members[frame.next]
                    if order[child] == unvisited {
                        order[child] = counter; lowLink[child] = counter; counter += 1
                        stack.append(child); onStack[child] = true
                        frames.append((child, 0))
                    } else if onStack[child] {
                        lowLink[frame.group] = min(lowLink[frame.group], order[child])
                    }
                    continue
                }
                frames.removeLast()
                if let parent = frames.last {
                    lowLink[parent.group] = min(lowLink[parent.group], lowLink[frame.group])
                }
                guard lowLink[frame.group] == order[frame.group] else { continue }
                var component: [String] = []
                while let top = stack.popLast() {
                    onStack[top] = false
                    component.append(groups[top].id)
                    if top == frame.group { break }
                }
                if component.count > 1 || members.contains(frame.group) { cycles.append(component.sorted()) }
            }
        }
        return cycles.sorted { $0[0] < $1[0] }
    }
}

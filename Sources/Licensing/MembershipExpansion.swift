import TenantModel

/// The effective user members of groups: direct members only, or with `nested` also the members of member groups
/// through any depth.
///
/// Expansion visits each group once per query, so a cycle of nested groups cannot loop; cycles are found once, with
/// Tarjan's strongly-connected-components algorithm over the whole group graph, and listed in `cycles`.
public struct MembershipExpansion: Sendable {
    private let groupsById: [String: TenantGroup]
    private let nested: Bool
    /// Groups that contain themselves through nesting, each as its sorted group ids, sorted by first id; empty
    /// unless `nested`.
    public let cycles: [[String]]

    public init(groups: [TenantGroup], nested: Bool) {
        var byId: [String: TenantGroup] = [:]
        byId.reserveCapacity(groups.count)
        for group in groups { byId[group.id] = group }
        self.groupsById = byId
        self.nested = nested
        self.cycles = nested ? Self.findCycles(in: byId) : []
    }

    /// Whether the tenant has this group.
    public func contains(groupId: String) -> Bool { groupsById[groupId] != nil }

    /// The group's effective user members, each once, in the order first reached (direct members first).
    public func userIds(inGroup groupId: String) -> [String] {
        guard let root = groupsById[groupId] else { return [] }
        var seenUsers = Set<String>()
        var users: [String] = []
        var visitedGroups: Set<String> = [groupId]
        var queue = [root]
        var next = 0
        while next < queue.count {
            let group = queue[next]
            next += 1
            for userId in group.memberUserIds where seenUsers.insert(userId).inserted { users.append(userId) }
            guard nested else { break }
            for member in group.memberGroupIds where visitedGroups.insert(member).inserted {
                if let child = groupsById[member] { queue.append(child) }
            }
        }
        return users
    }

    /// Strongly connected components with more than one group, or a group that is its own member (iterative, so
    /// deep nesting cannot exhaust the stack).
    private static func findCycles(in groups: [String: TenantGroup]) -> [[String]] {
        var index: [String: Int] = [:]
        var lowLink: [String: Int] = [:]
        var onStack = Set<String>()
        var stack: [String] = []
        var counter = 0
        var cycles: [[String]] = []

        for start in groups.keys.sorted() where index[start] == nil {
            // Each frame: a group and how many of its member groups have been looked at.
            var frames: [(id: String, next: Int)] = [(start, 0)]
            index[start] = counter; lowLink[start] = counter; counter += 1
            stack.append(start); onStack.insert(start)
            while let frame = frames.last {
                let children = groups[frame.id]?.memberGroupIds ?? []
                if frame.next < children.count {
                    frames[frames.count - 1].next += 1
                    let child = children[frame.next]
                    guard groups[child] != nil else { continue }
                    if index[child] == nil {
                        index[child] = counter; lowLink[child] = counter; counter += 1
                        stack.append(child); onStack.insert(child)
                        frames.append((child, 0))
                    } else if onStack.contains(child) {
                        lowLink[frame.id] = min(lowLink[frame.id]!, index[child]!)
                    }
                    continue
                }
                frames.removeLast()
                if let parent = frames.last {
                    lowLink[parent.id] = min(lowLink[parent.id]!, lowLink[frame.id]!)
                }
                guard lowLink[frame.id] == index[frame.id] else { continue }
                var component: [String] = []
                while let top = stack.popLast() {
                    onStack.remove(top)
                    component.append(top)
                    if top == frame.id { break }
                }
                let selfMember = groups[frame.id]?.memberGroupIds.contains(frame.id) ?? false
                if component.count > 1 || selfMember { cycles.append(component.sorted()) }
            }
        }
        return cycles.sorted { $0[0] < $1[0] }
    }
}

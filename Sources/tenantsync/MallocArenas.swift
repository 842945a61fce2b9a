#if canImport(Glibc)
import Glibc
#endif

/// glibc gives threads that allocate at the same time arenas of their own, and memory freed into one arena is not
/// reused by another: the entries the directory reader allocated and the planner frees would stay resident while
/// the planner allocates anew. Two arenas are enough for the reader, the store loader and the cycle.
enum MallocArenas {
    /// `M_ARENA_MAX` of glibc's `<malloc.h>`, which the Glibc module does not export.
    private static let arenaMaxParameter: Int32 = -8

    static func limit() {
        #if canImport(Glibc)
        typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        _ = unsafeBitCast(symbol, to: MallOpt.self)(arenaMaxParameter, 2)
        #endif
    }
}

/// Hands out one shared copy of each distinct text.
struct TextInterner {
    private var texts: Set<String> = []

    mutating func shared(_ text: String) -> String {
        if let known = texts.firstIndex(of: text) { return texts[known] }
        texts.insert(text)
        return text
    }
}

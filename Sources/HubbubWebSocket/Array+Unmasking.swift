extension [UInt8] {
    /// Appends `chunk`, unmasking it with `maskKey` when given (copy, then XOR in place
    /// while the bytes are still in cache). Returns the index of the first appended byte.
    @discardableResult
    mutating func appendUnmasking(_ chunk: UnsafeRawBufferPointer, maskKey: WebSocketMaskKey?) -> Int {
        let start = count
        append(contentsOf: chunk)
        if let maskKey, !chunk.isEmpty {
            withUnsafeMutableBytes { buffer in
                let appended = buffer.baseAddress! + start
                maskKey.apply(from: UnsafeRawPointer(appended), to: appended, count: chunk.count)
            }
        }
        return start
    }

    /// Makes room for `length` more bytes of a frame, without reserving more than the bytes
    /// at hand (or 64 KiB) so a peer cannot make us allocate its declared length upfront,
    /// and growing geometrically so many small fragments do not reallocate each time.
    mutating func reserveForFrame(length: Int, available: Int) {
        let wanted = count + Swift.min(length, Swift.max(available, 1 << 16))
        if wanted > capacity {
            reserveCapacity(Swift.max(wanted, capacity &* 2))
        }
    }
}

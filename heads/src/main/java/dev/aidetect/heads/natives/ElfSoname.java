package dev.aidetect.heads.natives;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Shortens the shared-object name ({@code DT_SONAME}) of a 64-bit little-endian ELF library in place, e.g.
 * {@code libopenblas.so.0} to {@code libopenblas.so}: the new name must be a prefix of the old, so the string table
 * keeps its size and only a terminating NUL moves. The dynamic linker matches a {@code dlopen} by name against the
 * shared-object names of loaded libraries, which is how Smile's lookup of {@code libopenblas.so} finds the bundled
 * copy {@link OpenBlas} loaded by path.
 */
final class ElfSoname {
    private static final int PT_LOAD = 1;
    private static final int PT_DYNAMIC = 2;
    private static final long DT_NULL = 0;
    private static final long DT_STRTAB = 5;
    private static final long DT_SONAME = 14;

    private ElfSoname() {
    }

    /** Reads the shared-object name of {@code library}, or throws when it has none. */
    static String read(Path library) throws IOException {
        try (FileChannel file = FileChannel.open(library, StandardOpenOption.READ)) {
            return readString(file, sonameOffset(file, library));
        }
    }

    /**
     * Renames {@code library}'s shared object from {@code from} to {@code to}.
     *
     * @throws IOException when the file is not a 64-bit little-endian ELF library named {@code from}, or {@code to}
     *             is not a shorter prefix of it
     */
    static void rename(Path library, String from, String to) throws IOException {
        if (!from.startsWith(to) || to.isEmpty() || to.length() >= from.length()) {
            throw new IllegalArgumentException(to + " must be a shorter prefix of " + from);
        }
        try (FileChannel file = FileChannel.open(library, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long offset = sonameOffset(file, library);
            String current = readString(file, offset);
            if (!current.equals(from)) {
                throw new IOException(library + " is named " + current + ", not " + from);
            }
            file.write(ByteBuffer.allocate(from.length() - to.length()), offset + to.length());
        }
    }

    /** The file offset of the {@code DT_SONAME} string. */
    private static long sonameOffset(FileChannel file, Path library) throws IOException {
        ByteBuffer header = read(file, 0, 64);
        if (header.getInt(0) != 0x464C457F || header.get(4) != 2 || header.get(5) != 1) {
            throw new IOException(library + " is not a 64-bit little-endian ELF file");
        }
        long programHeaders = header.getLong(0x20);
        int entrySize = Short.toUnsignedInt(header.getShort(0x36));
        int count = Short.toUnsignedInt(header.getShort(0x38));
        ByteBuffer table = read(file, programHeaders, entrySize * count);
        long dynamicOffset = -1;
        long dynamicSize = 0;
        for (int i = 0; i < count; i++) {
            if (table.getInt(i * entrySize) == PT_DYNAMIC) {
                dynamicOffset = table.getLong(i * entrySize + 8);
                dynamicSize = table.getLong(i * entrySize + 32);
            }
        }
        if (dynamicOffset < 0) {
            throw new IOException(library + " has no dynamic section");
        }
        ByteBuffer dynamic = read(file, dynamicOffset, (int) dynamicSize);
        long stringTable = -1;
        long soname = -1;
        for (int at = 0; at + 16 <= dynamicSize; at += 16) {
            long tag = dynamic.getLong(at);
            if (tag == DT_NULL) {
                break;
            }
            if (tag == DT_STRTAB) {
                stringTable = dynamic.getLong(at + 8);
            } else if (tag == DT_SONAME) {
                soname = dynamic.getLong(at + 8);
            }
        }
        if (stringTable < 0 || soname < 0) {
            throw new IOException(library + " has no shared-object name");
        }
        return fileOffset(table, entrySize, count, stringTable, library) + soname;
    }

    /** Maps a virtual address to its file offset through the loadable segments. */
    private static long fileOffset(ByteBuffer table, int entrySize, int count, long address, Path library)
            throws IOException {
        for (int i = 0; i < count; i++) {
            int at = i * entrySize;
            long virtual = table.getLong(at + 16);
            if (table.getInt(at) == PT_LOAD && address >= virtual && address < virtual + table.getLong(at + 32)) {
                return address - virtual + table.getLong(at + 8);
            }
        }
        throw new IOException(library + ": string table address 0x" + Long.toHexString(address)
                + " lies in no loadable segment");
    }

    private static String readString(FileChannel file, long offset) throws IOException {
        ByteBuffer bytes = read(file, offset, 256);
        int end = 0;
        while (end < bytes.limit() && bytes.get(end) != 0) {
            end++;
        }
        return new String(bytes.array(), 0, end, StandardCharsets.US_ASCII);
    }

    private static ByteBuffer read(FileChannel file, long offset, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            if (file.read(buffer, offset + buffer.position()) < 0) {
                break;
            }
        }
        return buffer.flip();
    }
}

package dev.aidetect.imaging.decode;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.awt.image.BufferedImage;
import java.lang.System.Logger.Level;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

import javax.imageio.IIOException;

/**
 * Decodes JPEG through libjpeg-turbo's TurboJPEG API ({@code libturbojpeg.so.0}, Debian {@code libturbojpeg0}) over
 * the FFM API: the library PIL decodes with, called with PIL's settings (accurate islow IDCT, fancy upsampling), so
 * the pixels are PIL's, about twice as fast as the JDK's reader. Produces packed RGB; EXIF orientation is the
 * caller's. Declines (empty) what it should not decode, so the caller falls back to ImageIO: CMYK and YCCK files (PIL's
 * own CMYK conversion lives in {@link RgbImages}), headers it cannot parse, fatal decode errors (ImageIO then says what
 * is wrong), and progressive files with so many scans that only ImageIO's abortable read keeps the decode-time limit.
 * Thread-safe: every call has its own TurboJPEG handle.
 */
final class TurboJpeg {
    static final String LIBRARY = "libturbojpeg.so.0";

    private static final System.Logger LOG = System.getLogger(TurboJpeg.class.getName());
    private static final int PIXEL_FORMAT_BGRX = 3;
    private static final int COLOUR_SPACE_CMYK = 3;
    private static final int COLOUR_SPACE_YCCK = 4;
    private static final int ERROR_WARNING = 0;
    /** TurboJPEG 3 suggests refusing more scans than this; 2.1 cannot, so such files go to the abortable reader. */
    private static final int MAX_SCANS = 100;

    private final MethodHandle init;
    private final MethodHandle header;
    private final MethodHandle decompress;
    private final MethodHandle destroy;
    private final MethodHandle errorText;
    private final MethodHandle errorCode;

    /** Reports the decoded size before any pixel is decoded; throws to refuse the image. */
    @FunctionalInterface
    interface SizeCheck {
        void check(int width, int height) throws ImageRejectedException;
    }

    private TurboJpeg(SymbolLookup library) {
        Linker linker = Linker.nativeLinker();
        init = bind(linker, library, "tjInitDecompress", FunctionDescriptor.of(ADDRESS));
        header = bind(linker, library, "tjDecompressHeader3",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        decompress = bind(linker, library, "tjDecompress2", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS,
                JAVA_LONG, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
        destroy = bind(linker, library, "tjDestroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        errorText = bind(linker, library, "tjGetErrorStr2", FunctionDescriptor.of(ADDRESS, ADDRESS));
        errorCode = bind(linker, library, "tjGetErrorCode", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    }

    /** The system's libturbojpeg, looked up once; empty (logged once) when it is not installed. */
    static Optional<TurboJpeg> system() {
        return SystemLibrary.INSTANCE;
    }

    /** Binds {@code library} (a file name or path); empty when it cannot be loaded or lacks the TurboJPEG 2 API. */
    static Optional<TurboJpeg> load(String library) {
        try {
            return Optional.of(new TurboJpeg(SymbolLookup.libraryLookup(library, Arena.global())));
        } catch (IllegalArgumentException | IllegalCallerException | UnsupportedOperationException e) {
            LOG.log(Level.DEBUG, "Cannot use {0}: {1}", library, e.toString());
            return Optional.empty();
        }
    }

    /**
     * Decodes {@code jpeg} to packed RGB, or empty when it declines (see the class comment).
     *
     * @param draftSide 0 for the full image; else decode at the DCT scale {@link #draftScale} picks for it
     * @throws IIOException when the data ends early (PIL refuses such files too)
     * @throws DeadlineRead.TimeoutException when decoding took longer than {@code limit} (checked when it returns)
     */
    Optional<Frame> decode(byte[] jpeg, SizeCheck sizeCheck, Duration limit, int draftSide)
            throws ImageRejectedException, IIOException, DeadlineRead.TimeoutException {
        if (scans(jpeg) > MAX_SCANS) {
            return Optional.empty();
        }
        long start = System.nanoTime();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment handle = (MemorySegment) init.invokeExact();
            if (handle.equals(MemorySegment.NULL)) {
                throw new IllegalStateException("tjInitDecompress failed: out of memory?");
            }
            try {
                Scratch scratch = Scratch.current();
                MemorySegment source = scratch.source(arena, jpeg.length);
                MemorySegment.copy(jpeg, 0, source, JAVA_BYTE, 0, jpeg.length);
                MemorySegment dims = arena.allocate(JAVA_INT, 4);
                int status = (int) header.invokeExact(handle, source, (long) jpeg.length, dims,
                        dims.asSlice(4), dims.asSlice(8), dims.asSlice(12));
                int colourSpace = dims.getAtIndex(JAVA_INT, 3);
                if (status != 0 || colourSpace == COLOUR_SPACE_CMYK || colourSpace == COLOUR_SPACE_YCCK) {
                    return Optional.empty();
                }
                int fullWidth = dims.getAtIndex(JAVA_INT, 0);
                int fullHeight = dims.getAtIndex(JAVA_INT, 1);
                sizeCheck.check(fullWidth, fullHeight);
                // Asked for exactly the 1/scale size, TurboJPEG picks that DCT scaling factor.
                int scale = draftScale(fullWidth, fullHeight, draftSide);
                int width = (fullWidth + scale - 1) / scale;
                int height = (fullHeight + scale - 1) / scale;
                MemorySegment pixels = scratch.pixels(arena, (long) width * height * Integer.BYTES);
                status = (int) decompress.invokeExact(handle, source, (long) jpeg.length, pixels, width, 0, height,
                        PIXEL_FORMAT_BGRX, 0);
                if (status != 0 && !acceptWarning(handle)) {
                    return Optional.empty();
                }
                long elapsed = System.nanoTime() - start;
                if (elapsed > limit.toNanos()) {
                    throw new DeadlineRead.TimeoutException(Duration.ofNanos(elapsed));
                }
                return Optional.of(new Frame(toImage(pixels, width, height), fullWidth, fullHeight, scale));
            } finally {
                int ignored = (int) destroy.invokeExact(handle);
            }
        } catch (ImageRejectedException | IIOException | DeadlineRead.TimeoutException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("calling " + LIBRARY + " failed: " + e, e);
        }
    }

    /**
     * A platform thread's native buffers for the compressed bytes and the decoded pixels, kept between decodes so a
     * decode neither maps nor zeroes fresh memory (for a 12 MP photo that was 48 MB each time). Buffers grow to the
     * largest image seen, up to {@link #KEEP_BYTES} each; bigger ones, and every buffer of a virtual thread, come from
     * the call's own arena and go with it.
     */
    private static final class Scratch {
        static final long KEEP_BYTES = 64L << 20;
        private static final ThreadLocal<Scratch> OF_THREAD = ThreadLocal.withInitial(Scratch::new);
        private static final Scratch NONE = new Scratch();

        private MemorySegment source = MemorySegment.NULL;
        private MemorySegment pixels = MemorySegment.NULL;

        static Scratch current() {
            return Thread.currentThread().isVirtual() ? NONE : OF_THREAD.get();
        }

        MemorySegment source(Arena call, long bytes) {
            if (this == NONE || bytes > KEEP_BYTES) {
                return call.allocate(bytes);
            }
            if (source.byteSize() < bytes) {
                source = Arena.ofAuto().allocate(bytes);
            }
            return source.asSlice(0, bytes);
        }

        MemorySegment pixels(Arena call, long bytes) {
            if (this == NONE || bytes > KEEP_BYTES) {
                return call.allocate(bytes, Integer.BYTES);
            }
            if (pixels.byteSize() < bytes) {
                pixels = Arena.ofAuto().allocate(bytes, Integer.BYTES);
            }
            return pixels.asSlice(0, bytes);
        }
    }

    /** Decoded pixels at 1/{@code scale} of the JPEG's {@code fullWidth x fullHeight} (as stored, before EXIF). */
    record Frame(BufferedImage pixels, int fullWidth, int fullHeight, int scale) {
    }

    /**
     * The DCT scale denominator PIL's {@code JpegImageFile.draft("RGB", (side, side))} picks for a
     * {@code width x height} JPEG: the largest of 8, 4 and 2 that leaves both sides at least {@code side} pixels, else 1
     * (also when {@code side} is 0: no draft).
     */
    static int draftScale(int width, int height, int side) {
        if (side <= 0) {
            return 1;
        }
        int fits = Math.min(width / side, height / side);
        for (int scale = 8; scale > 1; scale /= 2) {
            if (fits >= scale) {
                return scale;
            }
        }
        return 1;
    }

    /**
     * True for a warning after which the pixels are complete (as ImageIO and PIL, which ignore such warnings); false
     * for a fatal error.
     *
     * @throws IIOException for "premature end of JPEG file": libjpeg fills the missing rows with grey and warns
     */
    private boolean acceptWarning(MemorySegment handle) throws Throwable {
        String message = ((MemorySegment) errorText.invokeExact(handle)).reinterpret(1024).getString(0);
        if ((int) errorCode.invokeExact(handle) != ERROR_WARNING) {
            LOG.log(Level.DEBUG, "TurboJPEG refused a JPEG ({0}); decoding it with ImageIO", message);
            return false;
        }
        if (message.toLowerCase(Locale.ROOT).contains("premature end")) {
            throw new IIOException("jpeg data ends early: " + message);
        }
        return true;
    }

    private static BufferedImage toImage(MemorySegment bgrx, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] out = RgbImages.pixels(image);
        // Little-endian BGRX bytes are 0xXXRRGGBB ints; the X byte is dropped.
        MemorySegment.copy(bgrx, JAVA_INT, 0, out, 0, out.length);
        for (int i = 0; i < out.length; i++) {
            out[i] &= 0xFFFFFF;
        }
        return image;
    }

    /** Start-of-scan markers: an upper bound on the scans (an embedded EXIF thumbnail adds its own). */
    private static int scans(byte[] jpeg) {
        int count = 0;
        for (int i = 0; i + 1 < jpeg.length; i++) {
            if (jpeg[i] == (byte) 0xFF && jpeg[i + 1] == (byte) 0xDA) {
                count++;
            }
        }
        return count;
    }

    private static MethodHandle bind(Linker linker, SymbolLookup library, String name, FunctionDescriptor signature) {
        MemorySegment symbol = library.find(name).orElseThrow(() -> new UnsupportedOperationException(
                LIBRARY + " lacks " + name + ": install libjpeg-turbo's TurboJPEG 2.x (Debian libturbojpeg0)"));
        return linker.downcallHandle(symbol, signature);
    }

    /**
     * Loaded on first use, so a JVM that decodes no JPEG never touches the library. System property
     * {@value #SWITCH}{@code =imageio} keeps JPEG on ImageIO (to compare, or to rule the library out).
     */
    private static final class SystemLibrary {
        static final String SWITCH = "aidetect.imaging.jpeg-decoder";
        static final Optional<TurboJpeg> INSTANCE = announce(
                "imageio".equalsIgnoreCase(System.getProperty(SWITCH)) ? Optional.empty() : load(LIBRARY));

        private static Optional<TurboJpeg> announce(Optional<TurboJpeg> library) {
            if ("imageio".equalsIgnoreCase(System.getProperty(SWITCH))) {
                LOG.log(Level.INFO, "JPEG decoding with the JDK''s ImageIO reader ({0}=imageio)", SWITCH);
            } else if (library.isPresent()) {
                LOG.log(Level.INFO, "JPEG decoding with libjpeg-turbo ({0}, through FFM)", LIBRARY);
            } else {
                LOG.log(Level.WARNING, "{0} not found: JPEG decoding with the JDK''s slower ImageIO reader "
                        + "(apt-get install libturbojpeg0 for the faster decoder)", LIBRARY);
            }
            return library;
        }
    }
}

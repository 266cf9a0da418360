package dev.aidetect.tools.doctor;

/** What one check found: a status and one line that says what, where from, and what to do when it is not ok. */
public record Finding(Status status, String detail) {
    /** How a check ended. */
    public enum Status {
        /** present and working */
        OK,
        /** missing or not working, but something works without it; the line says what is lost */
        WARN,
        /** missing or not working, and the project needs it */
        FAIL,
        /** not asked for (no broker configured) */
        SKIP
    }

    public static Finding ok(String detail) {
        return new Finding(Status.OK, detail);
    }

    public static Finding warn(String detail) {
        return new Finding(Status.WARN, detail);
    }

    public static Finding fail(String detail) {
        return new Finding(Status.FAIL, detail);
    }

    public static Finding skip(String detail) {
        return new Finding(Status.SKIP, detail);
    }
}

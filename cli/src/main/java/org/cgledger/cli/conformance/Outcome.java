package org.cgledger.cli.conformance;

import java.util.List;

/**
 * What one line gave on one side: {@code ok} (with what it printed, for {@code cat} and {@code ls}),
 * an errno name ({@code EBUSY}), {@code usage} (a line the model cannot parse), or not run at all
 * ({@code result == null}: a line the kernel cannot express, with the reason in {@code note}).
 */
public record Outcome(String result, List<String> output, String note) {

    public static final String OK = "ok";

    public Outcome {
        output = output == null ? null : List.copyOf(output);
    }

    public static Outcome ok() {
        return new Outcome(OK, null, null);
    }

    public static Outcome ok(List<String> output) {
        return new Outcome(OK, output, null);
    }

    public static Outcome failed(String errno, String note) {
        return new Outcome(errno, null, note);
    }

    public static Outcome notRun(String reason) {
        return new Outcome(null, null, reason);
    }

    public boolean ran() {
        return result != null;
    }

    public boolean isOk() {
        return OK.equals(result);
    }

    /** Whether two outcomes agree: the same result, and the same output where both printed one. */
    public boolean agrees(Outcome other) {
        if (!ran() || !other.ran() || !result.equals(other.result)) {
            return false;
        }
        return output == null || other.output == null || output.equals(other.output);
    }

    /** One line for a report: {@code ok}, {@code ok [1, 2]}, {@code EBUSY}, {@code not run (why)}. */
    public String describe() {
        if (!ran()) {
            return "not run (" + note + ")";
        }
        return result + (output == null ? "" : " " + output);
    }
}

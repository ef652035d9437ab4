package org.cgledger.cli.conformance;

/**
 * A place where the model and the kernel disagree: a line ({@code where} is its number) or the
 * final tree of a hierarchy ({@code where} is {@code tree}). {@code listed} when
 * DEVIATIONS.md names it as deliberate, with its reason.
 */
public record Divergence(String scenario, String where, String text, String model, String kernel, String listedReason) {

    public boolean listed() {
        return listedReason != null;
    }
}

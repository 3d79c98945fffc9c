"""Byte-level BPE, as GPT-2 and CLIP train and apply it: the one builder both tokenizers use.

The CLIP-style tokenizer of the tiny SD model (models/tiny/tokenizer_build.py) marks a word's last symbol with
"</w>"; the SmolLM-style one of the tiny VLM (models/checker/vlm_tokenizer.py) has no suffix and keeps a
leading space in the word. Both call these functions with their own words and suffix.
"""
import collections


def bytes_to_unicode():
    """GPT-2/CLIP's reversible byte -> printable unicode map."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


def word_symbols(word, byte_map, end_of_word=""):
    """A word as its byte symbols, the last carrying the end-of-word suffix (CLIP's "</w>", or none)."""
    symbols = [byte_map[b] for b in word.encode("utf-8")]
    symbols[-1] += end_of_word
    return symbols


def train_merges(word_counts, byte_map, num_merges, end_of_word=""):
    """Merges learnt from {word: count}: the most frequent adjacent pair first, ties broken lexicographically."""
    vocab = {tuple(word_symbols(word, byte_map, end_of_word)): count for word, count in word_counts.items()}
    merges = []
    for _ in range(num_merges):
        pairs = collections.Counter()
        for symbols, count in vocab.items():
            for a, b in zip(symbols, symbols[1:]):
                pairs[(a, b)] += count
        if not pairs:
            break
        best = min(pairs.items(), key=lambda kv: (-kv[1], kv[0]))[0]  # deterministic tie-break
        merges.append(best)
        merged = {}
        for symbols, count in vocab.items():
            out, i = [], 0
            while i < len(symbols):
                if i + 1 < len(symbols) and (symbols[i], symbols[i + 1]) == best:
                    out.append(symbols[i] + symbols[i + 1])
                    i += 2
                else:
                    out.append(symbols[i])
                    i += 1
            merged[tuple(out)] = count
        vocab = merged
    return merges


def apply_merges(symbols, ranks):
    """A word's symbols after BPE: the lowest-ranked mergeable pair merged until none is left."""
    unmergeable = 1 << 30
    while len(symbols) > 1:
        pairs = [(ranks.get((a, b), unmergeable), i) for i, (a, b) in enumerate(zip(symbols, symbols[1:]))]
        rank, i = min(pairs)
        if rank == unmergeable:
            break
        symbols = symbols[:i] + [symbols[i] + symbols[i + 1]] + symbols[i + 2:]
    return symbols

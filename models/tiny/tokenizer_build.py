"""Builds a small CLIP-style byte-level BPE tokenizer for the tiny model.

The real CLIP tokenizer has 49408 tokens and cannot be fetched here, so we train the
same kind of tokenizer (byte-level BPE with a "</w>" end-of-word suffix, lower-casing,
<|startoftext|>/<|endoftext|> around the text, padded with <|endoftext|>) on a small
caption corpus and write it in the Hugging Face `tokenizer.json` format, so
@huggingface/transformers loads it with its ordinary CLIPTokenizer code path.
"""
import collections
import json
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from bpe import apply_merges, bytes_to_unicode, train_merges, word_symbols  # noqa: E402

BOS, EOS = "<|startoftext|>", "<|endoftext|>"
# CLIP's pre-tokenizer pattern (the one in openai/clip-vit-* tokenizer.json).
CLIP_SPLIT_REGEX = r"<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+"
PY_SPLIT = re.compile(r"'s|'t|'re|'ve|'m|'ll|'d|[^\W\d_]+|\d|[^\s\w]+|_+")

COLOURS = "red orange yellow green blue purple pink brown black white grey gray gold silver cyan magenta".split()
SHAPES = "circle square triangle star heart ring cross hexagon diamond oval".split()
OBJECTS = ("cat dog bird horse car house tree flower apple banana cup chair table boat plane "
           "mountain river lake sky sun moon cloud city street forest beach robot person man woman "
           "child face logo bottle book lamp clock guitar shoe hat").split()
WORDS = ("a an the and of on in with at by to from above below left right top bottom small big "
         "large tiny middle centre center next under over near far behind front photo painting "
         "drawing picture image portrait landscape style detailed realistic bright dark colourful "
         "colorful background foreground wooden metal glass stone sitting standing running "
         "flying two three one several many beautiful cute old new happy night day morning "
         "evening sunset lights studio high quality blurry lowres ugly watermark text").split()


def corpus_words():
    words = collections.Counter()
    for w in COLOURS + SHAPES + OBJECTS + WORDS:
        words[w] += 50
    for c in COLOURS:
        for s in SHAPES + OBJECTS:
            words[c] += 1
            words[s] += 1
    return words


def build_tokenizer(out_dir, num_merges=700):
    byte_map = bytes_to_unicode()
    base = list(byte_map.values())
    vocab_list = base + [c + "</w>" for c in base]
    merges = train_merges(corpus_words(), byte_map, num_merges, end_of_word="</w>")
    vocab_list += [a + b for a, b in merges]
    vocab_list += [BOS, EOS]
    vocab = {tok: i for i, tok in enumerate(vocab_list)}
    bos_id, eos_id = vocab[BOS], vocab[EOS]

    tokenizer = {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [
            {"id": bos_id, "content": BOS, "single_word": False, "lstrip": False, "rstrip": False, "normalized": True, "special": True},
            {"id": eos_id, "content": EOS, "single_word": False, "lstrip": False, "rstrip": False, "normalized": True, "special": True},
        ],
        "normalizer": {"type": "Sequence", "normalizers": [
            {"type": "NFC"},
            {"type": "Replace", "pattern": {"Regex": r"\s+"}, "content": " "},
            {"type": "Lowercase"},
        ]},
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
            {"type": "Split", "pattern": {"Regex": CLIP_SPLIT_REGEX}, "behavior": "Removed", "invert": True},
            {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False},
        ]},
        "post_processor": {"type": "RobertaProcessing", "sep": [EOS, eos_id], "cls": [BOS, bos_id],
                           "trim_offsets": False, "add_prefix_space": False},
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": EOS, "continuing_subword_prefix": "",
                  "end_of_word_suffix": "</w>", "fuse_unk": False, "byte_fallback": False,
                  "vocab": vocab, "merges": [f"{a} {b}" for a, b in merges]},
    }
    config = {
        "tokenizer_class": "CLIPTokenizer",
        "model_max_length": 77,
        "bos_token": BOS, "eos_token": EOS, "pad_token": EOS, "unk_token": EOS,
        "do_lower_case": True, "add_prefix_space": False, "errors": "replace",
        "clean_up_tokenization_spaces": True,
    }
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "tokenizer.json"), "w") as f:
        json.dump(tokenizer, f, ensure_ascii=False, separators=(",", ":"))
    with open(os.path.join(out_dir, "tokenizer_config.json"), "w") as f:
        json.dump(config, f, indent=2)
    return {"vocab_size": len(vocab), "bos_id": bos_id, "eos_id": eos_id, "encode": lambda text: encode(text, vocab, merges, byte_map)}


def encode(text, vocab, merges, byte_map):
    """Python reference of the same tokenizer (used to check the JS tokenizer agrees)."""
    ranks = {m: i for i, m in enumerate(merges)}
    ids = [vocab[BOS]]
    for word in PY_SPLIT.findall(re.sub(r"\s+", " ", text).lower()):
        ids += [vocab[s] for s in apply_merges(word_symbols(word, byte_map, "</w>"), ranks)]
    return ids + [vocab[EOS]]

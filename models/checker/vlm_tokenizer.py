"""Builds a small SmolLM2-style tokenizer (GPT-2 byte-level BPE) with SmolVLM's special tokens.

SmolVLM-256M-Instruct's tokenizer has 49280 tokens and cannot be fetched here. This trains the
same kind of tokenizer (byte-level BPE without an end-of-word suffix, "Ġ" marking a leading space,
digits split one by one, no lower-casing) on the checker's own question vocabulary, and adds the
special tokens the Idefics3 processor and chat template emit: <|im_start|>, <end_of_utterance>,
<fake_token_around_image>, <image>, <global-img> and <row_R_col_C>. " Yes" and " No" are single
tokens, as they are in the real vocabulary, so the checker's answer-token lookup has one id each.
"""
import collections
import json
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from bpe import apply_merges, bytes_to_unicode, train_merges, word_symbols  # noqa: E402

ENDOFTEXT, IM_START, IM_END = "<|endoftext|>", "<|im_start|>", "<|im_end|>"
END_OF_UTTERANCE = "<end_of_utterance>"
IMAGE_TOKENS = ["<fake_token_around_image>", "<image>", END_OF_UTTERANCE, "<global-img>"] + [
    f"<row_{r}_col_{c}>" for r in range(1, 7) for c in range(1, 7)]

# SmolVLM-256M-Instruct's chat template (tokenizer_config.json and chat_template.json of the public repo).
CHAT_TEMPLATE = (
    "<|im_start|>{% for message in messages %}{{message['role'] | capitalize}}"
    "{% if message['content'][0]['type'] == 'image' %}{{':'}}{% else %}{{': '}}{% endif %}"
    "{% for line in message['content'] %}{% if line['type'] == 'text' %}{{line['text']}}"
    "{% elif line['type'] == 'image' %}{{ '<image>' }}{% endif %}{% endfor %}<end_of_utterance>\n"
    "{% endfor %}{% if add_generation_prompt %}{{ 'Assistant:' }}{% endif %}"
)

# GPT-2's pre-tokenizer pattern, as the ByteLevel pre-tokenizer applies it (use_regex: true).
PY_SPLIT = re.compile(r"'s|'t|'re|'ve|'m|'ll|'d| ?[^\W\d_]+| ?\d| ?[^\s\w]+|\s+(?!\S)|\s+")

COLOURS = "red orange yellow green blue purple pink brown black white grey gray gold silver".split()
OBJECTS = ("cat dog bird horse car house tree flower apple cup chair boat mountain sky sun moon cloud "
           "city forest beach robot person face circle square triangle star heart ring").split()
WORDS = ("Is Are Does Do there the a an and of on in with at to image picture photo show shown "
         "left right top bottom above below half part more than less mostly whole same colour color "
         "style text mood scene Answer Yes No or User Assistant this that it its as described prompt "
         "visible present next under over inside outside bright dark").split()


def corpus_counts():
    counts = collections.Counter()
    for w in COLOURS + OBJECTS + WORDS:
        counts[" " + w] += 40
        counts[w] += 5
    # The answer words dominate, so " Yes" and " No" become whole tokens early.
    counts[" Yes"] += 1000
    counts[" No"] += 1000
    return counts


def added(token_id, content):
    return {"id": token_id, "content": content, "single_word": False, "lstrip": False, "rstrip": False,
            "normalized": False, "special": True}


def build_tokenizer(out_dir, num_merges=400):
    byte_map = bytes_to_unicode()
    merges = train_merges(corpus_counts(), byte_map, num_merges)
    vocab_list = [ENDOFTEXT, IM_START, IM_END] + list(byte_map.values()) + [a + b for a, b in merges] + IMAGE_TOKENS
    assert len(set(vocab_list)) == len(vocab_list), "duplicate token"
    vocab = {tok: i for i, tok in enumerate(vocab_list)}
    specials = [ENDOFTEXT, IM_START, IM_END] + IMAGE_TOKENS

    tokenizer = {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [added(vocab[t], t) for t in specials],
        "normalizer": None,
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
            {"type": "Digits", "individual_digits": True},
            {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True},
        ]},
        "post_processor": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": False, "use_regex": True},
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": None,
                  "end_of_word_suffix": None, "fuse_unk": False, "byte_fallback": False, "ignore_merges": False,
                  "vocab": vocab, "merges": [f"{a} {b}" for a, b in merges]},
    }
    config = {
        "tokenizer_class": "GPT2Tokenizer",
        "model_max_length": 8192,
        "bos_token": IM_START, "eos_token": END_OF_UTTERANCE, "pad_token": IM_END, "unk_token": ENDOFTEXT,
        "add_prefix_space": False, "clean_up_tokenization_spaces": False,
        "additional_special_tokens": IMAGE_TOKENS[:4],
        "added_tokens_decoder": {str(vocab[t]): {k: v for k, v in added(vocab[t], t).items() if k != "id"} for t in specials},
        "chat_template": CHAT_TEMPLATE,
        "processor_class": "Idefics3Processor",
        "truncation_side": "left",
    }
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "tokenizer.json"), "w") as f:
        json.dump(tokenizer, f, ensure_ascii=False, separators=(",", ":"))
    with open(os.path.join(out_dir, "tokenizer_config.json"), "w") as f:
        json.dump(config, f, indent=2, ensure_ascii=False)
    with open(os.path.join(out_dir, "chat_template.json"), "w") as f:
        json.dump({"chat_template": CHAT_TEMPLATE}, f, indent=2)
    return {"vocab": vocab, "vocab_size": len(vocab), "byte_map": byte_map, "merges": merges}


def encode(text, tok):
    """Python reference of the BPE (plain text only, no special tokens), to check the JS tokenizer agrees."""
    ranks = {m: i for i, m in enumerate(tok["merges"])}
    ids = []
    for piece in PY_SPLIT.findall(text):
        ids += [tok["vocab"][s] for s in apply_merges(word_symbols(piece, tok["byte_map"]), ranks)]
    return ids

"""Makes the checker's tiny test VLM: SmolVLM-256M-Instruct's architecture (Idefics3) with seeded random weights.

Run: npm run model:tiny-vlm   (Debian's python3-torch and python3-onnx: /usr/bin/python3)
Writes public/models/tiny-smolvlm/ in the layout of the public ONNX repo that transformers.js loads
(config.json, generation_config.json, preprocessor_config.json, processor_config.json, tokenizer.json,
tokenizer_config.json, chat_template.json, onnx/{vision_encoder,embed_tokens,decoder_model_merged}.onnx,
with the public I/O names) plus manifest.json (every file with size and sha256), and
models/checker/reference.json (PyTorch outputs the TypeScript tests compare onnxruntime against).
Its answers mean nothing; it exists so the checker's transformers.js path runs for real offline.
"""
import dataclasses
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "common"))
from onnx_export import export_onnx, sha256  # noqa: E402
from vlm_architecture import Decoder, TextConfig, VisionConfig, VisionEncoder  # noqa: E402
from vlm_tokenizer import END_OF_UTTERANCE, IM_END, IM_START, build_tokenizer, encode  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "public", "models", "tiny-smolvlm")
SEED = 20261122
SCALE_FACTOR = 4  # as SmolVLM-256M: 4x4 patches become one image token
SPLIT_EDGE = 128  # studio images are 128 px: 2x2 tiles of 64 px plus the global view
# Random decoders give logits near zero for every token; a wider LM head spreads P(Yes) over (0, 1)
# so that tests can tell one image or question from another.
LM_HEAD_GAIN = 2.0


def write_json(name, value):
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(value, f, indent=2, ensure_ascii=False)


def configs(vision, text, tok):
    vocab = tok["vocab"]
    image_seq_len = (vision.image_size // vision.patch_size) ** 2 // SCALE_FACTOR ** 2
    config = {
        "architectures": ["Idefics3ForConditionalGeneration"],
        "model_type": "idefics3",
        "image_token_id": vocab["<image>"],
        "scale_factor": SCALE_FACTOR,
        "vocab_size": text.vocab_size,
        "pad_token_id": vocab[IM_END],
        "tie_word_embeddings": False,
        "text_config": {**dataclasses.asdict(text), "model_type": "llama", "architectures": ["VLlama3ForCausalLM"],
                        "hidden_act": "silu", "pad_token_id": vocab[IM_END]},
        "vision_config": {**dataclasses.asdict(vision), "model_type": "idefics3_vision", "hidden_act": "gelu_pytorch_tanh",
                          "num_channels": 3},
        "transformers.js_config": {"kv_cache_dtype": {"q4f16": "float16", "fp16": "float16"}},
        "randomWeights": True,
    }
    generation = {"bos_token_id": vocab[IM_START], "eos_token_id": vocab[END_OF_UTTERANCE], "pad_token_id": vocab[IM_END]}
    preprocessor = {
        "do_convert_rgb": True, "do_image_splitting": True, "do_normalize": True, "do_pad": True,
        "do_rescale": True, "do_resize": True, "image_mean": [0.5, 0.5, 0.5], "image_std": [0.5, 0.5, 0.5],
        "image_processor_type": "Idefics3ImageProcessor", "processor_class": "Idefics3Processor",
        "max_image_size": {"longest_edge": vision.image_size}, "resample": 1,
        "rescale_factor": 1 / 255, "size": {"longest_edge": SPLIT_EDGE},
    }
    processor = {"image_seq_len": image_seq_len, "processor_class": "Idefics3Processor"}
    return config, generation, preprocessor, processor


def main():
    torch.manual_seed(SEED)
    tok = build_tokenizer(OUT)
    vision, text = VisionConfig(), TextConfig(vocab_size=tok["vocab_size"])
    config, generation, preprocessor, processor = configs(vision, text, tok)
    for name, value in [("config.json", config), ("generation_config.json", generation),
                        ("preprocessor_config.json", preprocessor), ("processor_config.json", processor)]:
        write_json(name, value)

    vision_encoder = VisionEncoder(vision, text.hidden_size, SCALE_FACTOR).eval()
    embed_tokens = torch.nn.Embedding(text.vocab_size, text.hidden_size).eval()
    decoder = Decoder(text).eval()
    with torch.no_grad():
        decoder.lm_head.weight.mul_(LM_HEAD_GAIN)

    # Trace inputs: two tiles (one image and its global view) and a two-token cache, so every
    # dynamic axis is seen with a size other than 1.
    size = vision.image_size
    pixel_values = torch.randn(1, 2, 3, size, size)
    pixel_mask = torch.ones(1, 2, size, size, dtype=torch.bool)
    input_ids = torch.tensor([encode(" Is the left half more red than the right half? Answer with Yes or No.", tok)])
    past_len, seq = 2, input_ids.shape[1]
    kv_shape = (1, text.num_key_value_heads, past_len, text.head_dim)
    past = [torch.randn(kv_shape) for _ in range(2 * text.num_hidden_layers)]
    with torch.no_grad():
        features = vision_encoder(pixel_values, pixel_mask)
        embeds = embed_tokens(input_ids)
        attention_mask = torch.ones(1, past_len + seq, dtype=torch.int64)
        position_ids = torch.arange(past_len, past_len + seq)[None]
        outputs = decoder(embeds, attention_mask, position_ids, *past)

    export_onnx(vision_encoder, (pixel_values, pixel_mask), os.path.join(OUT, "onnx", "vision_encoder.onnx"),
           ["pixel_values", "pixel_attention_mask"], ["image_features"],
           {"pixel_values": {0: "batch_size", 1: "num_images", 3: "height", 4: "width"},
            "pixel_attention_mask": {0: "batch_size", 1: "num_images", 2: "height", 3: "width"},
            "image_features": {0: "batch_size_x_num_images"}})
    export_onnx(embed_tokens, (input_ids,), os.path.join(OUT, "onnx", "embed_tokens.onnx"),
           ["input_ids"], ["inputs_embeds"],
           {"input_ids": {0: "batch_size", 1: "sequence_length"}, "inputs_embeds": {0: "batch_size", 1: "sequence_length"}})
    past_names = [f"past_key_values.{i}.{kv}" for i in range(text.num_hidden_layers) for kv in ("key", "value")]
    present_names = [f"present.{i}.{kv}" for i in range(text.num_hidden_layers) for kv in ("key", "value")]
    export_onnx(decoder, (embeds, attention_mask, position_ids, *past), os.path.join(OUT, "onnx", "decoder_model_merged.onnx"),
           ["inputs_embeds", "attention_mask", "position_ids", *past_names], ["logits", *present_names],
           {"inputs_embeds": {0: "batch_size", 1: "sequence_length"},
            "attention_mask": {0: "batch_size", 1: "total_sequence_length"},
            "position_ids": {0: "batch_size", 1: "sequence_length"},
            "logits": {0: "batch_size", 1: "sequence_length"},
            **{n: {0: "batch_size", 2: "past_sequence_length"} for n in past_names},
            **{n: {0: "batch_size", 2: "total_sequence_length"} for n in present_names}})

    write_manifest(config)
    reference = {
        "pixel_values_shape": list(pixel_values.shape), "pixel_values": pixel_values.flatten().tolist(),
        "image_features_shape": list(features.shape), "image_features_head": features.flatten()[:32].tolist(),
        "image_features_sum": float(features.sum()),
        "input_ids": input_ids.flatten().tolist(), "inputs_embeds_sum": float(embeds.sum()),
        "past_shape": list(kv_shape), "past": [p.flatten().tolist() for p in past],
        "logits_shape": list(outputs[0].shape), "last_logits_head": outputs[0][0, -1, :32].tolist(),
        "logits_sum": float(outputs[0].sum()),
        "present_shape": list(outputs[1].shape), "present_0_key_sum": float(outputs[1].sum()),
        "yes_id": tok["vocab"]["ĠYes"], "no_id": tok["vocab"]["ĠNo"],
        "encode_check": {"text": " Is there a red cat? Answer with Yes or No.",
                         "ids": encode(" Is there a red cat? Answer with Yes or No.", tok)},
    }
    with open(os.path.join(ROOT, "models", "checker", "reference.json"), "w") as f:
        json.dump(reference, f)
    last = outputs[0][0, -1]
    print(f"vocab {text.vocab_size}; image tokens per tile {processor['image_seq_len']}; "
          f"last-token logit std {last.std():.2f}; Yes-No logit gap {float(last[reference['yes_id']] - last[reference['no_id']]):.3f}")


def write_manifest(config):
    paths = sorted(os.path.relpath(os.path.join(d, n), OUT) for d, _, names in os.walk(OUT) for n in names if n != "manifest.json")
    manifest = {
        "id": "tiny-smolvlm-random",
        "name": "Tiny SmolVLM (random weights)",
        "repo": "test-org/tiny-smolvlm",
        "revision": "main",
        "architecture": config["model_type"],
        "randomWeights": True,
        "files": [{"path": p, "size": os.path.getsize(os.path.join(OUT, p)), "sha256": sha256(os.path.join(OUT, p))} for p in paths],
    }
    write_json("manifest.json", manifest)


if __name__ == "__main__":
    main()

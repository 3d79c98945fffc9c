"""Tests for the shapes data, the latent fold, the weights file and a smoke training run with export.

Run: /usr/bin/python3 models/shapes/test_shapes.py    (about a minute on 2 CPU cores)
"""
import collections
import hashlib
import json
import os
import sys
import tempfile
import unittest

import numpy as np
import onnx
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "tiny"))
from architecture import TinyConfig, TextEncoder, UNet, VaeDecoder  # noqa: E402
from diffusion import Ema, alphas_cumprod  # noqa: E402
from weights_file import load_weights, save_weights  # noqa: E402
from make_dataset import build_dataset  # noqa: E402
from scenes import apart, caption_words, relation_holds, sample_scene  # noqa: E402
from tokenizer_build import build_tokenizer  # noqa: E402
from vae_encoder import LATENT_SCALE, VaeEncoder, fold_latent_normalisation, latent_stats  # noqa: E402
from world import CANVAS, WORLD, render_scene, size_class  # noqa: E402
import export_model  # noqa: E402
import train  # noqa: E402

ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
BUILT_IN = os.path.join(ROOT, "public", "models", "tiny-sd")
MAX_RETURNED_FILE = 16 * 1024 * 1024  # the device tool brings back files up to 16 MB


class DataTest(unittest.TestCase):
    def test_every_caption_word_is_one_token(self):
        tok = build_tokenizer(tempfile.mkdtemp())
        self.assertEqual([w for w in caption_words() if len(tok["encode"](w)) != 3], [])

    def test_captions_are_true_of_their_scenes(self):
        rng = np.random.default_rng(3)
        templates = collections.Counter()
        for _ in range(400):
            scene = sample_scene(rng)
            templates[scene["template"]] += 1
            objs, caption = scene["objects"], scene["caption"]
            self.assertTrue(apart(objs), caption)
            words = caption.replace(",", " ").split()
            self.assertEqual(sorted(w for w in words if w in WORLD["shapes"]), sorted(o["shape"] for o in objs), caption)
            self.assertTrue({w for w in words if w in WORLD["palette"]} <= {o["colour"] for o in objs}, caption)
            for o in objs:
                r = o["extent"] / 2 + WORLD["layout"]["edgeMargin"]
                self.assertTrue(r <= o["cx"] <= CANVAS - r and r <= o["cy"] <= CANVAS - r, caption)
            if scene["template"] == "relation":
                rel = next(k for k, v in WORLD["relations"].items() if any(f" {p} " in caption for p in v["phrases"]))
                self.assertTrue(relation_holds(objs[0], objs[1], rel), caption)
            for name, spec in WORLD["positions"].items():
                if scene["template"] == "single" and any(caption.endswith(p) for p in spec["phrases"]):
                    for axis in ("cx", "cy"):
                        if axis in spec:
                            lo, hi = spec[axis]
                            self.assertTrue(lo * CANVAS - 0.5 <= objs[0][axis] <= hi * CANVAS + 0.5, caption)
            for size, spec in WORLD["sizes"].items():
                if any(f" {w} " in f" {caption} " for w in spec["words"]) and len(objs) == 1:
                    self.assertEqual(size_class(objs[0]["extent"]), size, caption)
        self.assertEqual(set(templates), {"single", "two", "relation", "three"})

    def test_a_crowded_three_object_scene_lays_out(self):
        rng = np.random.default_rng([25, 8])  # seed 25's chunk 8: scene 190 takes more than 200 tries
        scenes = [sample_scene(rng) for _ in range(191)]
        self.assertEqual(len(scenes[190]["objects"]), 3)

    def test_dataset_is_seeded_and_independent_of_workers(self):
        a, scenes_a = build_dataset(600, seed=5, workers=1)
        b, scenes_b = build_dataset(600, seed=5, workers=2)
        c, _ = build_dataset(600, seed=6, workers=1)
        self.assertEqual(a.shape, (600, CANVAS, CANVAS, 3))
        self.assertTrue(np.array_equal(a, b))
        self.assertEqual(scenes_a, scenes_b)
        self.assertFalse(np.array_equal(a, c))

    def test_render_draws_palette_colours_on_the_background(self):
        image = render_scene({"objects": [{"shape": "square", "colour": "green", "cx": 64, "cy": 64, "extent": 40}]})
        self.assertEqual(image[64, 64].tolist(), WORLD["palette"]["green"])
        self.assertEqual(image[5, 5].tolist(), WORLD["background"])
        ring = render_scene({"objects": [{"shape": "ring", "colour": "red", "cx": 64, "cy": 64, "extent": 50}]})
        self.assertEqual(ring[64, 64].tolist(), WORLD["background"])  # the hole


class ModelTest(unittest.TestCase):
    def test_fold_keeps_reconstructions_and_normalises_latents(self):
        torch.manual_seed(0)
        cfg = TinyConfig()
        enc, dec = VaeEncoder(cfg).eval(), VaeDecoder(cfg).eval()
        x = torch.from_numpy(build_dataset(16, seed=2, workers=1)[0]).permute(0, 3, 1, 2).float() / 127.5 - 1
        with torch.no_grad():
            z = enc(x)[0]
            before = dec(z)
            fold_latent_normalisation(enc, dec, *latent_stats(z))
            z2 = enc(x)[0]
            after = dec(z2)
        self.assertLess(float((after - before).abs().max()), 1e-3)
        mean, std = latent_stats(z2 * LATENT_SCALE)
        self.assertLess(float(mean.abs().max()), 1e-4)
        self.assertLess(float((std - 1).abs().max()), 1e-3)

    def test_learning_rate_warms_up_to_the_decayed_rate(self):
        args = type("Args", (), {"warmup": 100})()
        lr = lambda step, run_step: train.schedule(step, run_step, args, 30000, 3600, 0, 1e-3)  # noqa: E731
        self.assertAlmostEqual(lr(0, 99), 1e-3)  # a fresh run ramps up to the base rate
        self.assertAlmostEqual(lr(0, 49), 0.5e-3)
        late = lr(29000, 1000)  # a run resumed near the end of the schedule: close to the floor (1e-4)
        self.assertLess(late, 1.1e-4)
        self.assertTrue(all(lr(29000, k) <= late for k in range(100)))  # its warm-up never climbs above that

    def test_schedule_is_sds_and_ema_follows_the_weights(self):
        abar = alphas_cumprod()
        self.assertAlmostEqual(float(abar[0]), 1 - 0.00085, places=6)
        self.assertAlmostEqual(float(abar[-1]), 0.0047, places=4)  # SD 1.x's final alpha-bar
        live = torch.nn.Linear(3, 3)
        ema = Ema(live, decay=0.5)
        with torch.no_grad():
            live.weight.fill_(1.0)
        start = ema.module.weight.clone()
        ema.update()
        d = min(0.5, 2 / 11)  # the warm-up decay at the first update
        self.assertTrue(torch.allclose(ema.module.weight, d * start + (1 - d) * 1.0))
        self.assertTrue(torch.equal(live.weight, torch.ones(3, 3)))

    def test_weights_file_round_trips(self):
        torch.manual_seed(1)
        cfg = TinyConfig()
        mods = {"text_encoder": TextEncoder(cfg), "unet": UNet(cfg), "vae_decoder": VaeDecoder(cfg)}
        path = os.path.join(tempfile.mkdtemp(), "w.npz")
        save_weights(path, mods, {"diffusion_steps": 7})
        te, unet, vae, meta = load_weights(path)
        self.assertEqual(meta, {"diffusion_steps": 7})
        for original, loaded in ((mods["text_encoder"], te), (mods["unet"], unet), (mods["vae_decoder"], vae)):
            for (k, a), b in zip(original.state_dict().items(), loaded.state_dict().values()):
                self.assertTrue(torch.equal(a, b), k)


class SmokeTrainingTest(unittest.TestCase):
    """A few CPU steps of both phases, then the export: the layout the app loads, graphs like the built-in's."""

    @classmethod
    def setUpClass(cls):
        cls.out = train.main(["--smoke", "--minutes", "30", "--out", tempfile.mkdtemp(prefix="shapes-smoke-test-")])

    def test_writes_weights_samples_and_log(self):
        for name in ("weights.npz", "samples.png", "train_log.json", "reference.json"):
            self.assertTrue(os.path.getsize(os.path.join(self.out, name)) > 0, name)
        with open(os.path.join(self.out, "train_log.json")) as f:
            log = json.load(f)
        phases = [r["phase"] for r in log["records"]]
        for phase in ("data", "vae", "vae-fold", "latents", "diffusion"):
            self.assertIn(phase, phases)
        self.assertTrue(all(np.isfinite(r["loss"]) for r in log["records"] if "loss" in r))
        self.assertEqual(log["meta"]["diffusion_steps"], train.SMOKE["steps"])

    def test_export_has_the_built_in_layout_and_manifest(self):
        model = os.path.join(self.out, "model")
        with open(os.path.join(model, "manifest.json")) as f:
            mine = json.load(f)
        with open(os.path.join(BUILT_IN, "manifest.json")) as f:
            built_in = json.load(f)
        self.assertFalse(mine["randomWeights"])
        self.assertEqual(mine["examplePrompts"], export_model.EXAMPLE_PROMPTS)
        self.assertEqual(mine["maskDiffusion"], built_in["maskDiffusion"])
        words = set(caption_words()) | {"a", "and"}
        for prompt in mine["examplePrompts"]:  # prompts of the world the model was trained on, word for word
            self.assertEqual([w for w in prompt.split() if w not in words], [], prompt)
        for key in ("id", "architecture", "resolution", "latent", "text", "predictionType", "tokenizer", "variants"):
            self.assertEqual(mine[key], built_in[key], key)
        self.assertEqual([f["path"] for f in mine["files"]], [f["path"] for f in built_in["files"]])
        for entry in mine["files"]:
            path = os.path.join(model, entry["path"])
            self.assertEqual(os.path.getsize(path), entry["size"])
            self.assertLess(entry["size"], MAX_RETURNED_FILE, entry["path"])
            with open(path, "rb") as f:
                self.assertEqual(hashlib.sha256(f.read()).hexdigest(), entry["sha256"])

    def test_graphs_match_the_built_in_model(self):
        for component in ("text_encoder", "unet", "vae_decoder"):
            for name in ("model.onnx", "model_int8.onnx"):
                mine = onnx.load(os.path.join(self.out, "model", component, name))
                ref = onnx.load(os.path.join(BUILT_IN, component, name))
                onnx.checker.check_model(mine)
                ops = lambda m: collections.Counter(n.op_type for n in m.graph.node if n.op_type != "Identity")  # noqa: E731
                # Identity nodes only stand for the random model's deduplicated equal initialisers.
                self.assertEqual(ops(mine), ops(ref), f"{component}/{name}")
                self.assertEqual([i.name for i in mine.graph.input], [i.name for i in ref.graph.input])
                self.assertEqual([o.name for o in mine.graph.output], [o.name for o in ref.graph.output])

    def test_reference_has_the_keys_the_pipeline_test_reads(self):
        with open(os.path.join(self.out, "reference.json")) as f:
            mine = json.load(f)
        with open(os.path.join(ROOT, "models", "tiny", "reference.json")) as f:
            ref = json.load(f)
        self.assertEqual(sorted(mine), sorted(ref))
        self.assertEqual(len(mine["out_sample_head"]), 64)


class ResumeTest(unittest.TestCase):
    # The smoke budget is one minute of wall clock; on a loaded 2-core machine that can end a phase before its
    # steps, so these tests give time enough that the step counts decide.
    def test_resume_skips_the_finished_vae_and_continues_the_diffusion_steps(self):
        work = tempfile.mkdtemp(prefix="shapes-resume-work-")
        first = train.main(["--smoke", "--no-export", "--minutes", "30", "--work", work, "--out", tempfile.mkdtemp()])
        second = train.main(["--smoke", "--no-export", "--minutes", "30", "--work", work, "--resume", "--steps", "5", "--out", tempfile.mkdtemp()])
        logs = []
        for out in (first, second):
            with open(os.path.join(out, "train_log.json")) as f:
                logs.append(json.load(f))
        self.assertIn("vae", [r["phase"] for r in logs[0]["records"]])
        self.assertNotIn("vae", [r["phase"] for r in logs[1]["records"]])
        self.assertEqual([r["step"] for r in logs[1]["records"] if r["phase"] == "diffusion"], [4, 5])
        self.assertEqual(logs[1]["meta"]["diffusion_steps"], 5)

    def test_resume_from_the_slim_checkpoint_alone_with_cached_latents(self):
        slim, work = tempfile.mkdtemp(prefix="shapes-slim-"), tempfile.mkdtemp(prefix="shapes-slim-work-")
        common = ["--smoke", "--no-export", "--minutes", "30", "--checkpoint-dir", slim]
        train.main(common + ["--work", work, "--out", tempfile.mkdtemp()])
        for name in ("vae.pt", "diffusion.pt"):
            self.assertNotIn("opt", torch.load(os.path.join(slim, name)), name)  # weights + EMA only
        # A new machine: an empty --work, only the slim checkpoint (as committed to git).
        fresh = train.main(common + ["--work", tempfile.mkdtemp(), "--resume", "--steps", "5", "--out", tempfile.mkdtemp()])
        # The same machine again: the latents encoded by the resumed run's VAE are read back, not re-encoded.
        again = train.main(common + ["--work", work, "--resume", "--steps", "6", "--out", tempfile.mkdtemp()])
        logs = []
        for out in (fresh, again):
            with open(os.path.join(out, "train_log.json")) as f:
                logs.append(json.load(f)["records"])
        resumed = [r for r in logs[0] if r["phase"] == "resumed"]
        self.assertEqual([(r["step"], r["optimizer"]) for r in resumed], [(3, "fresh (slim checkpoint)")])
        self.assertNotIn("vae", [r["phase"] for r in logs[0]])
        self.assertEqual([r["step"] for r in logs[0] if r["phase"] == "diffusion"], [4, 5])
        self.assertEqual([r["cached"] for r in logs[1] if r["phase"] == "latents"], [True])


if __name__ == "__main__":
    unittest.main(verbosity=2)

"""Prompt-GDRO / DUMP batches for TRL's GRPOTrainer (needs trl + accelerate; not installable in this repo's CI).

Usage::

    class CurriculumGRPOTrainer(GRPOTrainer):
        def _get_train_sampler(self, dataset=None):
            return CurriculumRepeatSampler(self.client, "pg", self.args, len(dataset or self.train_dataset))

Every data-parallel rank iterates its own sampler; the step key makes all of them receive the same indices.
Rewards: add a ``uid`` column to the dataset, collect (uid, reward) pairs in the reward function, gather them on
the main process (``accelerate.utils.gather_object``) and call :func:`post_results` once per generation batch.
TRL saves no sampler state: call ``client.save("pg", path)`` from ``TrainerCallback.on_save`` and
``client.restore`` before resuming.
"""
from __future__ import annotations

from collections import defaultdict

from torch.utils.data import Sampler  # type: ignore[import-not-found]

from rl_curriculum_client import CurriculumClient


class CurriculumRepeatSampler(Sampler):
    """Reproduces RepeatSampler's layout: for each generation batch, every chosen index num_generations
    times consecutively, the whole chunk repeated num_iterations × steps_per_generation times."""

    def __init__(self, client: CurriculumClient, controller: str, args, rows: int):
        self.client = client
        self.controller = controller
        self.num_generations = args.num_generations
        self.prompts_per_batch = args.generation_batch_size // args.num_generations
        self.repeat_count = args.num_iterations * args.steps_per_generation
        self.batches = rows // self.prompts_per_batch
        self.step = 0

    def __len__(self):
        return self.batches * self.prompts_per_batch * self.num_generations * self.repeat_count

    def __iter__(self):
        for _ in range(self.batches):
            self.step += 1
            batch = self.client.call("sample", controller=self.controller, batchSize=self.prompts_per_batch,
                                     step=self.step)
            chunk = [int(uid.split(":", 1)[1]) for uid in batch["uids"]]
            for _ in range(self.repeat_count):
                for index in chunk:
                    for _ in range(self.num_generations):
                        yield index


def post_results(client: CurriculumClient, controller: str, pairs, step: int | None = None, bins=None) -> dict:
    """Groups gathered (uid, reward) pairs by uid and posts one update (main process only).
    Results arrive one generation batch late (accelerate reads ahead): pass the batch-time ``bins`` if known."""
    groups: dict[str, list[float]] = defaultdict(list)
    for uid, reward in pairs:
        groups[uid].append(None if reward is None else float(reward))
    results = []
    for uid, rewards in groups.items():
        result = {"uid": uid, "rewards": [r for r in rewards if r is not None]}
        if bins and uid in bins:
            result["bin"] = bins[uid]
        results.append(result)
    params = {"controller": controller, "results": results}
    if step is not None:
        params["step"] = step
    return client.call("update", **params)

"""Prompt-GDRO (resample mode) as a verl curriculum sampler (needs verl; not installable in this repo's CI).

Enable with::

    data.sampler.class_path=pkg://verl_sampler data.sampler.class_name=RlCurriculumSampler
    data.dataloader_num_workers=0      # verl requires it for curriculum samplers

and start ``rl-curriculum serve --http 127.0.0.1:PORT`` with ``RL_CURRICULUM_URL`` set (or let the client
spawn ``--stdio``). Rows are named ``idx:<extra_info.index>``; this assumes index == row position.
"""
from __future__ import annotations

import os

from verl.experimental.dataset.sampler import AbstractCurriculumSampler  # type: ignore[import-not-found]

from rl_curriculum_client import CurriculumClient


class RlCurriculumSampler(AbstractCurriculumSampler):
    def __init__(self, data_source, data_config):
        self.rows = len(data_source)
        self.batch_size = int(data_config.get("gen_batch_size", data_config.train_batch_size))
        self.client = CurriculumClient(url=os.environ.get("RL_CURRICULUM_URL"))
        self.controller = "prompt-gdro"
        self.step = 0
        self.client.call("create", controller=self.controller, kind="promptGdro", replace=True,
                         config={"mode": "resample", "seed": 0, "pool": [f"idx:{i}" for i in range(self.rows)]})

    def __len__(self):  # indices per epoch (not batches)
        return (self.rows // self.batch_size) * self.batch_size

    def __iter__(self):
        per_epoch = self.rows // self.batch_size
        for _ in range(per_epoch - self.step % per_epoch):  # resumes mid-epoch after load_state_dict
            self.step += 1
            batch = self.client.call("sample", controller=self.controller, batchSize=self.batch_size, step=self.step)
            for uid in batch["uids"]:
                yield int(uid.split(":", 1)[1])

    def update(self, batch, *args, **kwargs):
        # verl gives each prompt a fresh uuid per step: group by the dataset index instead.
        scores = batch.batch["token_level_scores"].sum(dim=-1).tolist()
        groups: dict[str, list[float]] = {}
        for index, score in zip(batch.non_tensor_batch["index"], scores):
            groups.setdefault(f"idx:{int(index)}", []).append(float(score))
        results = [{"uid": uid, "rewards": rewards} for uid, rewards in groups.items()]
        self.client.call("update", controller=self.controller, results=results, step=self.step)

    def state_dict(self):  # saved by verl's StatefulDataLoader with the checkpoint
        return {"step": self.step, "controller": self.client.call("state", controller=self.controller)}

    def load_state_dict(self, saved):
        self.step = saved["step"]
        self.client.call("load", controller=self.controller, replace=True, **saved["controller"])

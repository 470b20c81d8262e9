"""gluon.data: datasets, samplers and the DataLoader that turns them into batches."""
from __future__ import annotations

from . import dataloader, dataset, sampler, vision
from .dataloader import DataLoader
from .dataset import ArrayDataset, Dataset, RecordFileDataset, SimpleDataset
from .sampler import BatchSampler, FilterSampler, RandomSampler, Sampler, SequentialSampler

__all__ = ["ArrayDataset", "BatchSampler", "DataLoader", "Dataset", "FilterSampler",
           "RandomSampler", "RecordFileDataset", "Sampler", "SequentialSampler", "SimpleDataset",
           "dataloader", "dataset", "sampler", "vision"]

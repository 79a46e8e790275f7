"""Tagging an archive on a Dask cluster (dask.distributed): the inputs are cut into shards
(shards.py, recorded in OUTDIR/manifest.json), each worker loads the model once from a path it can
read (worker.py), the client feeds shards to the cluster a few at a time and writes each shard's
output atomically as it comes back (run.py, outputs.py), so a re-run redoes only unfinished shards
and a worker lost mid-shard costs only a retry of that shard (Dask reschedules it)."""

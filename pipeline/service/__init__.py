"""The model as a local web service (`python -m pipeline serve`): Starlette on uvicorn, bound to
127.0.0.1 by default. POST /tag takes {"text": ...} or {"texts": [...]} (validation.py checks them),
concurrent requests are tagged together in batches (batcher.py), GET /health reports the model,
the limits and the batching so far (app.py); server.py binds the socket and runs uvicorn."""

"""The SageMaker scikit-learn container's default handlers, for functions an inference script leaves out.

As in `sagemaker_sklearn_container.serving`: no default model_fn (the script must load its
model), input_fn decodes text/csv, application/json and application/x-npy into a numpy array
(float32 for the text types), predict_fn calls `model.predict`, output_fn encodes the prediction
in the accepted type. Unsupported types are the caller's mistake (415 in, 406 out).

Loaded by path inside a container worker process (never imported by the embedded cloud itself),
so it depends on numpy only, which every scikit-learn image has.
"""

from __future__ import annotations

import io
import json

import numpy as np

CSV = "text/csv"
JSON = "application/json"
NPY = "application/x-npy"
TEXT_TYPES = (CSV, JSON)


class UnsupportedFormatError(ValueError):
    def __init__(self, message: str, status_code: int) -> None:
        super().__init__(message)
        self.status_code = status_code


class BadRequest(ValueError):
    status_code = 400


def media_type(value: str | None) -> str:
    return (value or "").split(";")[0].strip().lower()


def default_model_fn(model_dir: str):
    raise NotImplementedError("Please provide a model_fn implementation in the inference script: the "
                              "scikit-learn container has no default way to load a model.")


def default_input_fn(body, content_type: str):
    media = media_type(content_type)
    try:
        if media == JSON:
            array = np.array(json.loads(_text(body)))
        elif media == CSV:
            # ndmin=2: a single CSV row is one sample, not one feature per sample.
            array = np.genfromtxt(io.StringIO(_text(body)), delimiter=",", ndmin=2)
        elif media == NPY:
            array = np.load(io.BytesIO(body), allow_pickle=False)
        else:
            raise UnsupportedFormatError(
                f"Content type {content_type} is not supported by this framework. Send text/csv, "
                "application/json or application/x-npy, or implement input_fn in the inference script.", 415)
    except (ValueError, TypeError) as exc:
        if isinstance(exc, UnsupportedFormatError):
            raise
        raise BadRequest(f"The {media} body could not be decoded: {exc}") from exc
    return array.astype(np.float32) if media in TEXT_TYPES else array


def default_predict_fn(data, model):
    return model.predict(data)


def default_output_fn(prediction, accept: str):
    media = media_type(accept)
    array = np.asarray(prediction)
    if media == JSON:
        return json.dumps(array.tolist()), accept
    if media == CSV:
        rows = array.reshape(len(array), -1) if array.ndim else array.reshape(1, 1)
        return "".join(",".join(str(v) for v in row) + "\n" for row in rows.tolist()), accept
    if media == NPY:
        buffer = io.BytesIO()
        np.save(buffer, array, allow_pickle=False)
        return buffer.getvalue(), accept
    raise UnsupportedFormatError(
        f"Accept type {accept} is not supported by this framework. Ask for text/csv, application/json or "
        "application/x-npy, or implement output_fn in the inference script.", 406)


def _text(body) -> str:
    if isinstance(body, (bytes, bytearray)):
        return bytes(body).decode("utf-8")
    return str(body)

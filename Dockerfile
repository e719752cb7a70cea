# RunPod serverless worker image.
# Base: the official PyTorch runtime image brings CUDA 12.4 + cuDNN 9 and a CUDA build of torch 2.5.1 on
# Python 3.11.10 (the same Python as CI), so the optional SMPL-X fit runs on the GPU without a multi-GB
# torch download at build time; "runtime" (not "devel") keeps the image small: nothing is compiled here.
FROM pytorch/pytorch:2.5.1-cuda12.4-cudnn9-runtime

ENV PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DEBIAN_FRONTEND=noninteractive

# OpenCV (opencv-contrib-python, a GUI build that mediapipe depends on) needs libGL and glib;
# MediaPipe's graph loader needs EGL/GLES even on the CPU path.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libgl1 libglib2.0-0 libegl1 libgles2 \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first (cached layer): exactly the pinned set CI tests (constraints.txt). torch stays the
# base image's CUDA build; smplx is installed without dependencies so it cannot replace that torch.
COPY constraints.txt pyproject.toml README.md ./
COPY ergopipe ./ergopipe
COPY drive ./drive
COPY handler.py test_input.json ./
COPY tools/fetch_pose_model.py ./tools/
RUN python -m pip install -c constraints.txt . \
    && python -m pip install --no-deps smplx==0.1.28 \
    && python tools/fetch_pose_model.py /app/models \
    && python -c "import mediapipe, cv2, runpod, googleapiclient, smplx, torch; print('imports ok')"

# The bundled demo clip lets `python handler.py` (test_input.json) run inside the container as a smoke test.
COPY data/pose2sim/cam01.mp4 data/pose2sim/LICENSE data/pose2sim/README.md ./data/pose2sim/

# Fitness check: token on the network volume, SMPL-X files when configured (see README "Deploy").
HEALTHCHECK --interval=5m --timeout=30s CMD ["python", "-m", "ergopipe.doctor"]

CMD ["python", "-u", "handler.py"]

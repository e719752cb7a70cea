"""Render a shaded capsule mannequin with a face from a skeleton, through a perspective camera (numpy).

Each body segment is a capsule (a cylinder with round ends) between two skeleton points; every pixel of a
capsule's screen bounding box is ray-cast analytically against it, a z-buffer keeps the nearest surface and
Lambert shading gives the 3D cue. The head carries eyes, brows, mouth, a nose and hair so that MediaPipe's
person detector (which keys on the face) finds the figure. Used for the video accuracy harness
(benchmarks/accuracy.py) where the true angles of every frame are known.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from ergopipe import landmarks as lm

SKIN = np.array([224.0, 172.0, 140.0])
SHIRT = np.array([70.0, 115.0, 185.0])
PANTS = np.array([55.0, 58.0, 72.0])
SHOES = np.array([35.0, 32.0, 30.0])
HAIR = np.array([62.0, 42.0, 30.0])
WALL, FLOOR = np.array([205.0, 203.0, 196.0]), np.array([150.0, 140.0, 128.0])


@dataclass(frozen=True)
class Camera:
    """Pinhole camera looking horizontally-ish at the person from `distance_m` in front (+z), at
    `height_m` above the floor, aimed at `target_height_m`. The person's feet rest on the floor (y = 0)."""

    width_px: int = 540
    height_px: int = 960
    vertical_fov_deg: float = 45.0
    distance_m: float = 3.5
    height_m: float = 1.5
    target_height_m: float = 0.9

    @property
    def focal_px(self) -> float:
        return self.height_px / (2 * np.tan(np.radians(self.vertical_fov_deg / 2)))

    @property
    def pitch_deg(self) -> float:
        """Downward pitch of the optical axis (the tilt clean_pose should find)."""
        return float(np.degrees(np.arctan2(self.height_m - self.target_height_m, self.distance_m)))

    def basis(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(position, right, up, forward) in world coordinates (y up, floor at 0)."""
        pos = np.array([0.0, self.height_m, self.distance_m])
        fwd = np.array([0.0, self.target_height_m, 0.0]) - pos
        fwd /= np.linalg.norm(fwd)
        right = np.cross(fwd, [0.0, 1.0, 0.0])
        right /= np.linalg.norm(right)
        return pos, right, np.cross(right, fwd), fwd


@dataclass(frozen=True)
class Capsule:
    a: np.ndarray  # (3,) world
    b: np.ndarray
    radius_m: float
    color: np.ndarray
    part: str = ""  # "head" gets the face texture


def _mid(p: np.ndarray, i: int, j: int) -> np.ndarray:
    return (p[i] + p[j]) / 2


def body_capsules(p: np.ndarray) -> list[Capsule]:
    """Capsules of the mannequin for one (33, 3) world-frame skeleton (metres, y up)."""
    hip, sh = _mid(p, lm.LEFT_HIP, lm.RIGHT_HIP), _mid(p, lm.LEFT_SHOULDER, lm.RIGHT_SHOULDER)
    ear = _mid(p, lm.LEFT_EAR, lm.RIGHT_EAR)
    up = (sh - hip) / np.linalg.norm(sh - hip)
    neck_dir = (ear - sh) / np.linalg.norm(ear - sh)
    face = p[lm.NOSE] - ear
    face /= np.linalg.norm(face)
    head_c = ear + 0.02 * face + 0.01 * neck_dir
    caps = [
        Capsule(hip + 0.06 * up, sh - 0.09 * up, 0.135, SHIRT),  # trunk
        Capsule(p[lm.LEFT_SHOULDER] - 0.05 * up, p[lm.RIGHT_SHOULDER] - 0.05 * up, 0.075, SHIRT),
        Capsule(p[lm.LEFT_HIP], p[lm.RIGHT_HIP], 0.1, PANTS),
        Capsule(sh, head_c - 0.06 * neck_dir, 0.05, SKIN),  # neck
        Capsule(head_c - 0.02 * neck_dir, head_c + 0.035 * neck_dir, 0.1, SKIN, "head"),
        Capsule(
            head_c + 0.085 * face - 0.01 * neck_dir, head_c + 0.105 * face - 0.03 * neck_dir, 0.018, SKIN
        ),
    ]
    for side in ("left", "right"):
        ix = lm.SIDE_INDEX[side]
        hand = (p[ix["index"]] + p[ix["pinky"]]) / 2
        caps += [
            Capsule(p[ix["shoulder"]], p[ix["elbow"]], 0.05, SHIRT),
            Capsule(p[ix["elbow"]], p[ix["wrist"]], 0.04, SKIN),
            Capsule(p[ix["wrist"]], hand, 0.035, SKIN),
            Capsule(p[ix["hip"]], p[ix["knee"]], 0.075, PANTS),
            Capsule(p[ix["knee"]], p[ix["ankle"]], 0.055, PANTS),
            Capsule(p[ix["heel"]], p[ix["foot_index"]], 0.045, SHOES),
        ]
    return caps


def _ray_capsule(ro: np.ndarray, rd: np.ndarray, cap: Capsule) -> tuple[np.ndarray, np.ndarray]:
    """Distances (m, inf = miss) along unit rays rd (k, 3) from ro (3,) to the capsule; surface normals."""
    ba, oa = cap.b - cap.a, ro - cap.a
    baba, bard, baoa = ba @ ba, rd @ ba, oa @ ba
    rdoa, oaoa, r2 = rd @ oa, oa @ oa, cap.radius_m**2
    t = np.full(rd.shape[0], np.inf)
    a = baba - bard * bard
    b = baba * rdoa - baoa * bard
    c = baba * oaoa - baoa * baoa - r2 * baba
    h = b * b - a * c
    with np.errstate(invalid="ignore", divide="ignore"):
        t_body = (-b - np.sqrt(h)) / a
        y = baoa + t_body * bard
        body = (h >= 0) & (y > 0) & (y < baba) & (a > 1e-12)
        t[body] = t_body[body]
        for end in (cap.a, cap.b):  # spherical caps (also the whole shape when a == b)
            oc = ro - end
            bb, cc = rd @ oc, oc @ oc - r2
            hh = bb * bb - cc
            t_cap = -bb - np.sqrt(hh)
            t = np.where((hh > 0) & (t_cap > 0) & (t_cap < t) & ~body, t_cap, t)
    hit = ro + np.where(np.isfinite(t), t, 0.0)[:, None] * rd  # misses get a finite dummy point
    s = np.clip(((hit - cap.a) @ ba) / max(baba, 1e-12), 0.0, 1.0)
    normal = (hit - (cap.a + s[:, None] * ba)) / cap.radius_m
    return t, normal


def _face_texture(hit: np.ndarray, cap: Capsule, head: dict[str, np.ndarray]) -> np.ndarray:
    """Colours (k, 3) of head surface points: hair on top/back, eyes, brows and mouth on the face."""
    d = hit - head["centre"]
    d /= np.linalg.norm(d, axis=1, keepdims=True)
    f, u, r = d @ head["face"], d @ head["up"], d @ head["right"]
    col = np.broadcast_to(cap.color, d.shape).copy()
    col[(u > 0.45) | ((f < -0.1) & (u > -0.3))] = HAIR
    for side in (-1.0, 1.0):
        eye = (np.abs(r - side * 0.36) < 0.11) & (np.abs(u - 0.22) < 0.07) & (f > 0.5)
        col[eye] = [250.0, 250.0, 250.0]
        col[eye & (np.abs(r - side * 0.36) < 0.05)] = [25.0, 25.0, 30.0]
        col[(np.abs(r - side * 0.36) < 0.14) & (np.abs(u - 0.37) < 0.03) & (f > 0.45)] = HAIR
    col[(np.abs(r) < 0.22) & (np.abs(u + 0.38) < 0.04) & (f > 0.5)] = [150.0, 60.0, 60.0]
    return col


def render_frame(world: np.ndarray, camera: Camera) -> np.ndarray:
    """(H, W, 3) uint8 RGB image of the mannequin for one (33, 3) skeleton in world coordinates (y up,
    floor at 0, camera on +z looking toward -z)."""
    pos, right, up, fwd = camera.basis()
    w, h, f = camera.width_px, camera.height_px, camera.focal_px
    img = _background(camera)
    depth = np.full((h, w), np.inf)
    ear = _mid(world, lm.LEFT_EAR, lm.RIGHT_EAR)
    face = world[lm.NOSE] - ear
    neck = ear - _mid(world, lm.LEFT_SHOULDER, lm.RIGHT_SHOULDER)
    head = {"face": face / np.linalg.norm(face), "up": neck / np.linalg.norm(neck)}
    head["right"] = np.cross(head["face"], head["up"])
    light = np.array([-0.4, 0.8, 0.6]) / np.linalg.norm([-0.4, 0.8, 0.6])
    for cap in body_capsules(world):
        if cap.part == "head":
            head["centre"] = (cap.a + cap.b) / 2
        box = _screen_box(cap, pos, right, up, fwd, f, w, h)
        if box is None:
            continue
        x0, x1, y0, y1 = box
        xs, ys = np.meshgrid(np.arange(x0, x1), np.arange(y0, y1))
        rd = (
            fwd
            + ((xs.ravel() + 0.5 - w / 2) / f)[:, None] * right
            - ((ys.ravel() + 0.5 - h / 2) / f)[:, None] * up
        )
        rd /= np.linalg.norm(rd, axis=1, keepdims=True)
        t, normal = _ray_capsule(pos, rd, cap)
        zb = depth[y0:y1, x0:x1].ravel()
        win = t < zb
        if not win.any():
            continue
        col = np.broadcast_to(cap.color, (int(win.sum()), 3))
        if cap.part == "head":
            col = _face_texture(pos + t[win, None] * rd[win], cap, head)
        shade = 0.35 + 0.65 * np.clip(normal[win] @ light, 0.0, 1.0)
        zb[win] = t[win]
        depth[y0:y1, x0:x1] = zb.reshape(y1 - y0, x1 - x0)
        patch = img[y0:y1, x0:x1].reshape(-1, 3)
        patch[win] = np.clip(col * shade[:, None], 0, 255)
        img[y0:y1, x0:x1] = patch.reshape(y1 - y0, x1 - x0, 3)
    return img.astype(np.uint8)


def _screen_box(
    cap: Capsule, pos, right, up, fwd, f: float, w: int, h: int
) -> tuple[int, int, int, int] | None:
    pts = np.stack([cap.a, cap.b]) - pos
    z = pts @ fwd
    if (z < 0.1).any():
        return None
    u = w / 2 + f * (pts @ right) / z
    v = h / 2 - f * (pts @ up) / z
    pad = f * cap.radius_m / z.min() + 2
    x0, x1 = int(max(0, u.min() - pad)), int(min(w, u.max() + pad + 1))
    y0, y1 = int(max(0, v.min() - pad)), int(min(h, v.max() + pad + 1))
    return (x0, x1, y0, y1) if x1 > x0 and y1 > y0 else None


def _background(camera: Camera) -> np.ndarray:
    """Wall above the horizon line of the floor far behind the person, floor below it."""
    pos, right, up, fwd = camera.basis()
    far = np.array([0.0, 0.0, -4.0]) - pos  # floor meets the wall 4 m behind the person
    horizon = int(camera.height_px / 2 - camera.focal_px * (far @ up) / (far @ fwd))
    img = np.empty((camera.height_px, camera.width_px, 3))
    rows = np.arange(camera.height_px)[:, None, None]
    img[:] = np.where(rows < horizon, WALL, FLOOR)
    return img


def place_on_floor(hip_centred: np.ndarray) -> np.ndarray:
    """(n, 33, 3) gravity-frame skeletons (mid-hip origin) shifted so the lowest foot point is at y = 0."""
    feet = [lm.LEFT_HEEL, lm.RIGHT_HEEL, lm.LEFT_FOOT_INDEX, lm.RIGHT_FOOT_INDEX, lm.LEFT_KNEE, lm.RIGHT_KNEE]
    low = np.min(hip_centred[:, feet, 1], axis=1) - 0.045  # shoe radius
    return hip_centred - low[:, None, None] * np.array([0.0, 1.0, 0.0])


def render_frames(hip_centred: Sequence[np.ndarray] | np.ndarray, camera: Camera) -> Iterator[np.ndarray]:
    """Yield RGB frames for gravity-frame skeletons (mid-hip origin), feet placed on the floor."""
    world = place_on_floor(np.asarray(hip_centred, dtype=float))
    for frame in world:
        yield render_frame(frame, camera)

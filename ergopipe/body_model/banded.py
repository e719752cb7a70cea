"""Exact solve of the fit's block-pentadiagonal normal equations (torch, CPU or CUDA).

The system couples frame t with t +- 1 and t +- 2 only through the smoothness term s * D'D (D = second
difference along frames), so its off-diagonal blocks are multiples of the identity. Block Cholesky runs
frame by frame: O(n p^3) for n frames of p parameters, no n x n matrix is ever formed.
"""

from __future__ import annotations

import torch


def second_difference_normal(n: int, like: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Bands of D'D: main (n,), first (n - 1,) and second (n - 2,) off-diagonal; D'D = 0 if n < 3."""
    kwargs = {"dtype": like.dtype, "device": like.device}
    if n < 3:
        return torch.zeros(n, **kwargs), torch.zeros(max(n - 1, 0), **kwargs), torch.zeros(0, **kwargs)
    # acceleration row r touches frames r, r + 1, r + 2 with coefficients (1, -2, 1)
    main = torch.full((n,), 6.0, **kwargs)
    main[0] = main[-1] = 1.0
    main[1] = main[-2] = 5.0
    off1 = torch.full((n - 1,), -4.0, **kwargs)
    off1[0] = off1[-1] = -2.0
    off2 = torch.ones(n - 2, **kwargs)
    if n == 3:
        main[:] = torch.tensor([1.0, 4.0, 1.0], **kwargs)
    return main, off1, off2


class BlockPentadiagonal:
    """Factorisation of A = blockdiag(H_t) + s * (D'D kron I_p), H_t (n, p, p) symmetric positive definite."""

    def __init__(self, blocks: torch.Tensor, smooth: float) -> None:
        n, p, _ = blocks.shape
        self.n = n
        main, off1, off2 = second_difference_normal(n, blocks)
        eye = torch.eye(p, dtype=blocks.dtype, device=blocks.device)
        self.l_inv: list[torch.Tensor] = []  # inverse of the diagonal Cholesky factor of each frame
        self.l1: list[torch.Tensor | None] = []  # L[t, t-1]
        self.l2: list[torch.Tensor | None] = []  # L[t, t-2]
        for t in range(n):
            schur = blocks[t] + smooth * main[t] * eye
            l2 = l1 = None
            if t >= 2:
                l2 = (smooth * off2[t - 2]) * self.l_inv[t - 2].T
                schur = schur - l2 @ l2.T
            if t >= 1:
                l1 = (smooth * off1[t - 1]) * self.l_inv[t - 1].T
                if l2 is not None and self.l1[t - 1] is not None:
                    l1 = l1 - l2 @ (self.l1[t - 1].T @ self.l_inv[t - 1].T)
                schur = schur - l1 @ l1.T
            chol = torch.linalg.cholesky(schur)
            self.l_inv.append(torch.linalg.solve_triangular(chol, eye, upper=False))
            self.l1.append(l1)
            self.l2.append(l2)

    def solve(self, rhs: torch.Tensor) -> torch.Tensor:
        """rhs (n, p, m) -> A^-1 rhs (n, p, m)."""
        y: list[torch.Tensor] = []
        for t in range(self.n):
            b = rhs[t]
            if self.l1[t] is not None:
                b = b - self.l1[t] @ y[t - 1]
            if self.l2[t] is not None:
                b = b - self.l2[t] @ y[t - 2]
            y.append(self.l_inv[t] @ b)
        x: list[torch.Tensor] = [y[0]] * self.n
        for t in range(self.n - 1, -1, -1):
            b = y[t]
            if t + 1 < self.n and self.l1[t + 1] is not None:
                b = b - self.l1[t + 1].T @ x[t + 1]
            if t + 2 < self.n and self.l2[t + 2] is not None:
                b = b - self.l2[t + 2].T @ x[t + 2]
            x[t] = self.l_inv[t].T @ b
        return torch.stack(x)

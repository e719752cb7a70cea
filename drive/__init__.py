"""Google Drive side of the worker: OAuth token on the volume, safe transfers, the hot-folder flow.

Public entry points: :class:`drive.config.DriveSettings`, :class:`drive.job.DriveJob`,
:func:`drive.hotfolder.run_drive_job`. One-time operator CLIs: ``python -m drive.authorize`` and
``python -m drive.convert_pickle``.
"""

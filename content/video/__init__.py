"""Uploaded videos (视频): editors' videos and contest entries' videos, made playable on phones.

- models.py: `Video` (the private original, the phone MP4 and poster made from it);
- probe.py: what ffprobe says an upload is, and whether the site accepts it;
- transcoding.py: queueing a transcode and running ffmpeg under limits; tasks.py: the job;
- viewsets.py: the Wagtail snippet (upload, re-process), registered in content/wagtail_hooks.py.
"""

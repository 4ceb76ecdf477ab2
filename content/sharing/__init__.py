"""Sharing pages to WeChat (分享): a share card picture for Moments (朋友圈), the hint to use
WeChat's own menu, and WeChat JS-SDK share settings when an official account is configured.

- cards.py: the 1080 × 1440 share card of a page (title, picture, QR code of its public
  address), drawn on request and cached;
- wechat.py: the JS-SDK signature (access token and jsapi ticket cached server-side);
- views.py: the card and the signature endpoints;
- templates/content/includes/share.html and static/js/share.js: the share box on pages.
"""

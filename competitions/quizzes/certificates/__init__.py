"""Certificates (证书) of passing quiz attempts: issuing, images and share cards, their pages."""

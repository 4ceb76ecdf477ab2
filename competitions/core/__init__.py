"""What every competition shares: organising units (组织单位)."""

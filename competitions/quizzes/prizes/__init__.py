"""The verifiable prize draw (抽奖) of a quiz: prizes, commitment, draw, winners' claims."""

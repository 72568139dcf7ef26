/* The banded DTW recurrence (see dtw.py): one row at a time, one byte per cell for the backtrack.
 *
 * D[i, j] = c[i, j] + min(D[i-1, j] (up), D[i-1, j-1] (diagonal), D[i, j-1] (left)); each row is
 * stored from its own band start lo[i]; c is the Euclidean distance of the two feature frames,
 * computed here so no cost matrix is ever held. Ties prefer the diagonal, then up.
 * Returns the total at the last cell (INFINITY when the band does not reach it).
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

enum { DIAGONAL = 0, UP = 1, LEFT = 2 };

double dtw_fill(const double *a, const double *b, const int64_t *lo, int64_t rows, int64_t cols,
                int64_t dims, int64_t width, int8_t *steps) {
    double *previous = malloc(sizeof(double) * width);
    double *current = malloc(sizeof(double) * width);
    if (previous == NULL || current == NULL) {
        free(previous);
        free(current);
        return NAN;
    }
    for (int64_t j = 0; j < width; j++) previous[j] = INFINITY;
    for (int64_t i = 0; i < rows; i++) {
        int64_t shift = i > 0 ? lo[i] - lo[i - 1] : 0;
        const double *frame = a + i * dims;
        int8_t *row_steps = steps + i * width;
        for (int64_t j = 0; j < width; j++) {
            int64_t col = lo[i] + j;
            double cost = INFINITY;
            if (col < cols) {
                const double *other = b + col * dims;
                double total = 0.0;
                for (int64_t d = 0; d < dims; d++) {
                    double delta = frame[d] - other[d];
                    total += delta * delta;
                }
                cost = sqrt(total);
            }
            if (i == 0) {
                current[j] = cost + (j > 0 ? current[j - 1] : 0.0);
                row_steps[j] = j == 0 ? DIAGONAL : LEFT;
                continue;
            }
            int64_t k = j + shift;
            double up = (k >= 0 && k < width) ? previous[k] : INFINITY;
            double diagonal = (k >= 1 && k <= width) ? previous[k - 1] : INFINITY;
            double left = j > 0 ? current[j - 1] : INFINITY;
            if (left < up && left < diagonal) {
                current[j] = cost + left;
                row_steps[j] = LEFT;
            } else if (up < diagonal) {
                current[j] = cost + up;
                row_steps[j] = UP;
            } else {
                current[j] = cost + diagonal;
                row_steps[j] = DIAGONAL;
            }
        }
        double *swap = previous;
        previous = current;
        current = swap;
    }
    int64_t last = cols - 1 - lo[rows - 1];
    double result = (last >= 0 && last < width) ? previous[last] : INFINITY;
    free(previous);
    free(current);
    return result;
}

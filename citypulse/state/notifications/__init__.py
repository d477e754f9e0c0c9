"""The header bell (unread badge, latest ten) and the /notifications page (PRODUCT.md §6.1)."""

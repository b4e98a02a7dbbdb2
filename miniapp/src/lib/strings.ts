// Shared Vietnamese UI strings (screen-specific copy lives with its page).

export const strings = {
  appName: 'Công đoàn',
  network: 'Không kết nối được máy chủ. Vui lòng kiểm tra mạng và thử lại.',
  timeout: 'Máy chủ không phản hồi. Vui lòng thử lại.',
  unauthorized: 'Phiên đăng nhập Zalo không hợp lệ. Vui lòng mở lại ứng dụng.',
  noToken: 'Không lấy được thông tin đăng nhập Zalo. Vui lòng mở lại ứng dụng.',
  forbidden: 'Bạn không có quyền thực hiện thao tác này.',
  notFound: 'Không tìm thấy dữ liệu.',
  tooManyRequests: 'Bạn đã thử quá nhiều lần, vui lòng thử lại sau',
  serverError: 'Máy chủ đang gặp sự cố. Vui lòng thử lại sau ít phút.',
  genericError: 'Đã có lỗi xảy ra. Vui lòng thử lại.',
  retry: 'Thử lại',
  loading: 'Đang tải…',
  switchUser: 'Đổi người dùng',
  demoMode: 'Chế độ thử nghiệm',
  nav: {
    card: 'Thẻ',
    checkin: 'Điểm danh',
    welfare: 'Phúc lợi',
    announcements: 'Thông báo',
    officer: 'Cán bộ',
  },
  status: {
    active: 'Đang sinh hoạt',
    suspended: 'Tạm dừng',
    left: 'Đã chuyển đi',
  } as Record<string, string>,
} as const;

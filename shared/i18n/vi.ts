/** User-facing Vietnamese texts of the OA bot (one place, so wording is reviewed together). */
export const vi = {
  welcome: (name?: string) =>
    `Chào mừng ${name ? name + ' ' : ''}đến với Công đoàn trên Zalo! 👋\n` +
    'Mình là trợ lý của Công đoàn, trực 24/7. Bạn có thể hỏi về hợp đồng, tiền lương, làm thêm giờ, nghỉ phép, thai sản, BHXH, bảo hiểm thất nghiệp, quyền lợi đoàn viên… hoặc chọn một mục bên dưới.',
  greeting: (name?: string) =>
    `Chào ${name ?? 'bạn'}! 👋 Mình là trợ lý Công đoàn. Bạn cứ gõ câu hỏi về lao động, tiền lương, BHXH… hoặc chọn một mục bên dưới.`,
  menuIntro: 'Bạn cần gì? Chọn một mục bên dưới, hoặc gõ câu hỏi của bạn (có dấu hay không dấu đều được).',
  menu: {
    qa: 'Hỏi đáp pháp luật',
    news: 'Thông báo mới',
    welfare: 'Đăng ký phúc lợi',
    card: 'Thẻ đoàn viên',
    officer: 'Gặp cán bộ',
  },
  qaPrompt:
    'Bạn cứ gõ câu hỏi, ví dụ: "lương tối thiểu vùng 1 năm 2026", "nghỉ phép năm được mấy ngày", "bhxh 1 lần". Mình sẽ trả lời kèm căn cứ pháp luật.',
  cancelled: 'Đã hủy. Bạn cần gì thêm cứ nhắn nhé.',
  error: 'Xin lỗi, hệ thống đang bận. Bạn vui lòng thử lại sau ít phút.',

  link: {
    already: (name: string, code: string) => `Tài khoản Zalo của bạn đã liên kết với đoàn viên ${name} (mã ${code}).`,
    purpose:
      'Để liên kết tài khoản Zalo với hồ sơ đoàn viên, mình cần xác minh bạn là đoàn viên. Thông tin chỉ dùng để xác minh và gửi thông báo, phúc lợi của Công đoàn; bạn có thể yêu cầu xem hoặc xóa dữ liệu bất cứ lúc nào (Nghị định 13/2023/NĐ-CP).',
    askCode: 'Bạn nhập MÃ ĐOÀN VIÊN (in trên thẻ, ví dụ DV00012). Gõ "hủy" để dừng.',
    askDob: 'Cảm ơn bạn. Bạn nhập NGÀY SINH theo dạng ngày/tháng/năm (ví dụ 05/09/1990).',
    badDob: 'Ngày sinh chưa đúng dạng. Bạn nhập theo dạng ngày/tháng/năm, ví dụ 05/09/1990.',
    sharePhoneTitle: 'Chia sẻ số điện thoại để liên kết',
    sharePhoneSubtitle: 'Công đoàn dùng số điện thoại chỉ để đối chiếu hồ sơ đoàn viên của bạn.',
    orSharePhone: 'Hoặc bấm "Chia sẻ thông tin" để dùng số điện thoại Zalo của bạn.',
    success: (name: string, code: string, branch: string) =>
      `✅ Liên kết thành công! Chào ${name} (mã ${code}, ${branch}). Từ nay bạn sẽ nhận thông báo của đơn vị và đăng ký phúc lợi ngay trong Zalo.`,
    failed: (left: number) =>
      `Thông tin chưa khớp với hồ sơ đoàn viên. ${left > 0 ? `Bạn còn ${left} lần thử trong giờ này.` : ''} Nếu cần hỗ trợ, nhắn "gặp cán bộ".`,
    tooMany: 'Bạn đã thử quá nhiều lần. Vui lòng thử lại sau 1 giờ hoặc nhắn "gặp cán bộ" để được hỗ trợ.',
    phoneNotFound: 'Số điện thoại này chưa có trong danh sách đoàn viên. Bạn thử liên kết bằng mã đoàn viên và ngày sinh (gõ "liên kết"), hoặc nhắn "gặp cán bộ".',
    needLink: 'Bạn cần liên kết tài khoản Zalo với hồ sơ đoàn viên trước. Gõ "liên kết" để bắt đầu.',
    movedAway: (name: string, code: string) =>
      `Hồ sơ đoàn viên ${name} (mã ${code}) vừa được liên kết với một tài khoản Zalo khác bằng số điện thoại của hồ sơ. Nếu không phải bạn làm, hãy nhắn "gặp cán bộ" ngay để được hỗ trợ.`,
    linkedElsewhere:
      'Hồ sơ đoàn viên này đã liên kết với một tài khoản Zalo khác. Nếu đó là bạn (ví dụ bạn đổi tài khoản Zalo), hãy bấm "Chia sẻ thông tin" để xác minh bằng số điện thoại Zalo, hoặc nhắn "gặp cán bộ" để được hỗ trợ.',
  },

  news: {
    none: 'Hiện chưa có thông báo mới.',
    header: (n: number) => `📢 ${n} thông báo mới nhất. Bấm để đọc:`,
    notFound: 'Không tìm thấy thông báo này.',
  },

  card: {
    info: (name: string, code: string, branch: string, status: string) =>
      `🪪 Thẻ đoàn viên\nHọ tên: ${name}\nMã đoàn viên: ${code}\nĐơn vị: ${branch}\nTrạng thái: ${status}\nMở mini-app để xem thẻ có mã QR dùng khi điểm danh.`,
    open: 'Mở thẻ đoàn viên',
  },
  memberStatus: { active: 'Đang sinh hoạt', suspended: 'Tạm dừng sinh hoạt', left: 'Đã chuyển đi' } as Record<string, string>,

  handoff: {
    askQuestion: 'Bạn muốn hỏi cán bộ công đoàn điều gì? Hãy nhắn nội dung cụ thể, cán bộ sẽ trả lời bạn sớm nhất.',
    created: (id: number) =>
      `Mình đã chuyển câu hỏi của bạn tới cán bộ công đoàn (phiếu số ${id}). Cán bộ sẽ trả lời ngay trong Zalo này, thường trong giờ hành chính.`,
    stillOpen: (id: number) => `Câu hỏi của bạn (phiếu số ${id}) đã được ghi thêm. Cán bộ sẽ trả lời sớm.`,
    officerReply: (text: string) => `👩‍💼 Cán bộ công đoàn trả lời:\n${text}`,
  },

  welfare: {
    statusLabel: { submitted: 'Đã gửi', approved: 'Đã duyệt', rejected: 'Không duyệt', cancelled: 'Đã hủy' } as Record<string, string>,
    none: 'Hiện chưa có chương trình phúc lợi nào đang mở cho đơn vị của bạn.',
    pick: (n: number) => `🎁 Có ${n} chương trình phúc lợi đang mở. Bấm để đăng ký:`,
    /** More programs than buttons: every one is numbered in the text, the buttons cover the first few. */
    pickByNumber: (n: number, buttons: number) => `🎁 Có ${n} chương trình phúc lợi đang mở. Bấm nút (${buttons} chương trình đầu) hoặc gõ số thứ tự để đăng ký:`,
    moreInMiniApp: (n: number) => `… và ${n} chương trình khác: xem đủ trong mini-app Công đoàn.`,
    pickAgain: 'Bạn bấm chọn một chương trình bên dưới hoặc gõ số thứ tự, hoặc gõ "hủy" để dừng.',
    intro: (title: string, closes: string) => `📝 ${title}\nHạn đăng ký: ${closes}.`,
    ask: (i: number, n: number, label: string, required: boolean) =>
      `(${i}/${n}) ${label}${required ? '' : ' (không bắt buộc — bấm "Bỏ qua" nếu không có)'}:`,
    skip: 'Bỏ qua',
    invalid: (hint: string) => `Câu trả lời chưa hợp lệ. ${hint}`,
    summary: (title: string, lines: string[]) =>
      `Bạn kiểm tra lại thông tin đăng ký "${title}":\n${lines.join('\n')}\n\nGõ "xác nhận" để gửi, hoặc "hủy" để dừng.`,
    confirm: 'Xác nhận',
    cancel: 'Hủy',
    confirmAgain: 'Bạn gõ "xác nhận" để gửi đăng ký, hoặc "hủy" để dừng.',
    success: (title: string, ref: string) =>
      `✅ Đã nhận đăng ký "${title}". Mã đăng ký của bạn: ${ref}.\nCán bộ công đoàn sẽ xét duyệt và báo kết quả qua Zalo.`,
    already: (title: string, ref: string, status: string) => `Bạn đã đăng ký "${title}" rồi (mã ${ref}, trạng thái: ${status}).`,
    closed: (title: string) => `Chương trình "${title}" đã hết hạn đăng ký.`,
    notOpenYet: (title: string, opens: string) => `Chương trình "${title}" chưa mở đăng ký (mở từ ${opens}).`,
    full: (title: string) => `Rất tiếc, chương trình "${title}" đã đủ số lượng đăng ký.`,
    notFound: 'Không tìm thấy chương trình phúc lợi này, hoặc chương trình không dành cho đơn vị của bạn.',
    notEligible: {
      inactive: (title: string) => `Bạn chưa đủ điều kiện đăng ký "${title}": chương trình chỉ dành cho đoàn viên đang sinh hoạt.`,
      joined_after: (title: string, before: string) => `Bạn chưa đủ điều kiện đăng ký "${title}": chương trình dành cho đoàn viên vào công đoàn trước ${before}.`,
      branch: (title: string) => `Chương trình "${title}" không dành cho đơn vị của bạn.`,
    },
    invalidAnswers: 'Thông tin đăng ký chưa hợp lệ',
    notice: {
      approvedTitle: 'Đăng ký phúc lợi đã được duyệt',
      rejectedTitle: 'Đăng ký phúc lợi không được duyệt',
      approvedText: (title: string) => `Đăng ký "${title}" của bạn đã được cán bộ công đoàn duyệt.`,
      rejectedText: (title: string) => `Rất tiếc, đăng ký "${title}" của bạn chưa được duyệt.`,
      program: 'Chương trình',
      reference: 'Mã đăng ký',
      status: 'Trạng thái',
      note: 'Ghi chú',
    },
  },

  poll: {
    thanks: (option: string) => `Cảm ơn bạn đã bình chọn: "${option}". Bạn có thể đổi lựa chọn trước khi hết hạn.`,
    changed: (option: string) => `Đã đổi bình chọn của bạn thành: "${option}".`,
    closed: 'Cuộc bình chọn này đã kết thúc.',
    notFound: 'Không tìm thấy cuộc bình chọn này.',
    needMember: 'Bình chọn chỉ dành cho đoàn viên đã liên kết tài khoản. Gõ "liên kết" để bắt đầu.',
    notInScope: 'Cuộc bình chọn này không dành cho đơn vị của bạn.',
    question: (q: string, closes: string) => `🗳️ Bình chọn: ${q}\n(Hạn: ${closes}) Bấm một lựa chọn bên dưới:`,
  },

  unknown: 'Mình chưa hiểu ý bạn. Bạn chọn một mục bên dưới hoặc gõ câu hỏi nhé.',
};
